import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { bytesOf } from '../core/bytes.js';

const CHUNK_BYTES = 1 << 18;

export interface OpenedFile {
  /** The size of a regular file; undefined for a pipe, FIFO or device, whose length is only known at its end. */
  readonly size: number | undefined;
  /** Whether the input can be read again from its start (a regular file), unlike a pipe. */
  readonly rereadable: boolean;
  /**
   * The file's bytes from the start; iterate once. The file closes when
   * iteration ends. Each chunk is a view of one buffer that the next read
   * overwrites: use or copy it before asking for the next (a 50 MB file
   * read in fresh chunks leaves 50 MB of garbage behind).
   */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Opens a local file (or a pipe, FIFO or device) for reading in chunks; one that cannot be opened is an InputError naming `name`. */
export async function openFileChunks(path: string, name: string = path): Promise<OpenedFile> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw fileError(name, 'open', error);
  });
  try {
    const stats = await file.stat();
    if (stats.isDirectory()) throw new InputError(`${name}: is a directory, not an IDX file`);
    const regular = stats.isFile();
    return { size: regular ? stats.size : undefined, rereadable: regular, chunks: readChunks(file) };
  } catch (error) {
    await file.close();
    throw error;
  }
}

async function* readChunks(file: FileHandle): AsyncGenerator<Uint8Array> {
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield bytesOf(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}
