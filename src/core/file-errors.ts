import { InputError } from './errors.js';

/** Problems of the user's files and disk that a person can act on, by error code. */
const PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'no such device',
  ETXTBSY: 'file busy',
};

/** A file-system failure about one of the user's files: exit status 2, naming the file. */
export class FileError extends InputError {
  override readonly name = 'FileError';
  constructor(
    readonly path: string,
    readonly code: string,
    doing: string,
  ) {
    super(`${path}: cannot ${doing}: ${PROBLEMS[code] ?? code} (${code})`);
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `error` as a FileError naming `path` when it is a problem the user can
 * fix (permissions, space, names); any other error is returned unchanged.
 */
export function fileError(path: string, doing: string, error: unknown): unknown {
  if (error instanceof InputError) return error;
  const code = errorCode(error);
  return code !== undefined && PROBLEMS[code] !== undefined ? new FileError(path, code, doing) : error;
}

/** Awaits `work`, turning its file-system failures into FileErrors naming `path`. */
export async function namingFile<T>(path: string, doing: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw fileError(path, doing, error);
  }
}
