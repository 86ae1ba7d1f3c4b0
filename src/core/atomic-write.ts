import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode, fileError, namingFile } from './file-errors.js';

export interface AtomicWriteOptions {
  /** The random part of temporary names (default: 8 random bytes in hex); tests pass their own. */
  readonly randomName?: () => string;
}

const ATTEMPTS = 8;

/**
 * Writes a file so that it is either absent, or complete: the bytes go to
 * a temporary file beside it, created exclusively under a random name (so
 * a symbolic link planted in the folder is never followed), fsynced and
 * renamed over the target; then the folder is fsynced so the rename itself
 * survives a crash. Failures the user can act on (no space, permissions)
 * are FileErrors naming `path`; the temporary file is removed.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { file, temporary } = await namingFile(path, 'write', createTemporary(path, options.randomName ?? randomHex));
  try {
    await file.writeFile(data);
    await file.sync();
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw fileError(path, 'write', error);
  }
  await syncFolder(dirname(path));
}

/** Whether a file name is one of writeFileAtomic's temporary files. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * The same as writeFileAtomic, synchronously: for the last moment of a
 * process that is exiting at once (a second Ctrl-C).
 */
export function writeFileAtomicSync(path: string, data: Uint8Array): void {
  const temporary = temporaryName(path, randomHex);
  const fd = openSync(temporary, 'wx');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** `.NAME.RANDOM.tmp` beside `path`; the name is shortened so the whole stays within the 255 bytes a name may have. */
function temporaryName(path: string, randomName: () => string): string {
  return join(dirname(path), `.${basename(path).slice(0, 200)}.${randomName()}.tmp`);
}

async function createTemporary(path: string, randomName: () => string): Promise<{ file: FileHandle; temporary: string }> {
  for (let attempt = 1; ; attempt++) {
    const temporary = temporaryName(path, randomName);
    try {
      return { file: await open(temporary, 'wx'), temporary };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST' || attempt >= ATTEMPTS) throw error;
    }
  }
}

function randomHex(): string {
  return randomBytes(8).toString('hex');
}

/** Codes with which file systems that cannot fsync a folder refuse it: nothing to do there. */
const NO_FOLDER_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EBADF', 'EPERM', 'EACCES']);

/** fsyncs a folder, so that a rename in it is on disk. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!NO_FOLDER_SYNC.has(errorCode(error) ?? '')) throw fileError(dir, 'sync the folder', error);
  } finally {
    await handle?.close();
  }
}
