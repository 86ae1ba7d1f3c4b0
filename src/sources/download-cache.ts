import { createHash, randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** RXNN_CACHE_DIR, else $XDG_CACHE_HOME/rxnn, else ~/.cache/rxnn. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const explicit = env['RXNN_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'rxnn');
}

/**
 * Where a URL's download is kept: a digest of the whole URL (so two hosts'
 * train-images.gz never collide) followed by the file's own name.
 */
export function cachedPath(cacheDir: string, url: URL, baseName: string): string {
  const key = createHash('sha256').update(url.href).digest('hex').slice(0, 16);
  const safeName = baseName.replace(/[^A-Za-z0-9._-]/g, '_').slice(-100) || 'download';
  return join(cacheDir, `${key}-${safeName}`);
}

/** The digest recorded beside a cached file when its download was verified. */
export function digestPath(path: string): string {
  return `${path}.sha256`;
}

/** A unique name beside `path` for a download in progress; renamed onto `path` only when complete. */
export function partialPath(path: string): string {
  return `${path}.${process.pid}-${randomUUID().slice(0, 8)}.part`;
}
