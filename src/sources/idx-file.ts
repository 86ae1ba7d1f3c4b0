import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { decodeIdxData, MAX_IDX_HEADER_BYTES, parseIdxHeader, type IdxTensor } from './idx-format.js';

/** Reads a whole IDX file, checking its header against its size before reading the data. */
export async function readIdxFile(path: string): Promise<IdxTensor> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${describeOpenError(error)}`);
  });
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(Math.min(size, MAX_IDX_HEADER_BYTES));
    await file.read(head, 0, head.length, 0);
    const header = parseIdxHeader(head, size, path);
    const bytes = new Uint8Array(size);
    const { bytesRead } = await file.read(bytes, 0, size, 0);
    if (bytesRead !== size) throw new InputError(`${path}: file shrank while being read`);
    return { ...header, data: decodeIdxData(header, bytes) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(`${path}: is a directory, not an IDX file`);
    throw error;
  } finally {
    await file.close();
  }
}

function describeOpenError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not an IDX file';
    default:
      return `cannot open (${error.code ?? error.message})`;
  }
}
