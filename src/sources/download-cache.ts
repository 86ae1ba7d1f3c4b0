import { createHash, randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from '../core/process-liveness.js';

/** RXNN_CACHE_DIR, else $XDG_CACHE_HOME/rxnn, else ~/.cache/rxnn; undefined when there is no home folder to put it in. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env['RXNN_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'rxnn');
  const home = homeFolder();
  return home === undefined ? undefined : join(home, '.cache', 'rxnn');
}

function homeFolder(): string | undefined {
  try {
    const home = homedir();
    return home === '' ? undefined : home;
  } catch {
    return undefined;
  }
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

const HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_');
const PART = /\.(\d+)@([A-Za-z0-9_-]*)\.[0-9a-f]+\.part$/;

/** A unique name beside `path` for a download in progress (this process and host in it); renamed onto `path` only when complete. */
export function partialPath(path: string): string {
  return `${path}.${process.pid}@${HOST}.${randomBytes(6).toString('hex')}.part`;
}

/**
 * Removes the partial downloads in `cacheDir` that a process of this host
 * left when it was killed (its id no longer runs). Returns their names.
 */
export async function removeStalePartials(cacheDir: string): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const match = PART.exec(name);
    return match !== null && match[2] === HOST && !isProcessRunning(Number(match[1]));
  });
  for (const name of stale) await rm(join(cacheDir, name), { force: true });
  return stale;
}
