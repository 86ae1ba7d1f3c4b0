import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { isProcessRunning, processStart } from '../core/process-liveness.js';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { errorCode, fileError, namingFile } from '../core/file-errors.js';

/** The lock file of a run folder, there while a process owns the folder. */
export const LOCK_FILE = 'run.lock';

/** Who holds a run folder: what the lock file records. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the lock was taken (ISO time). */
  readonly since: string;
  /** The process's start time as the kernel counts it (Linux), so a reused process id is not taken for the holder. */
  readonly processStart?: string | undefined;
  /** Random: tells this lock from any other. */
  readonly token: string;
}

export interface RunLock {
  readonly dir: string;
  readonly holder: LockHolder;
  /** Removes the lock file, if it is still this lock's. Runs by itself when the process exits. */
  release(): void;
}

/** A run folder held by another process that is still running: exit status 2. */
export class RunFolderBusy extends InputError {
  override readonly name = 'RunFolderBusy';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dir}: in use by another rxnn run (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
        `wait for it to end or stop it${holder.host === hostname() ? '' : `, or delete ${join(dir, LOCK_FILE)} if it no longer runs`}`,
    );
  }
}

export interface LockOptions {
  /** Called when the lock of a process that is no longer running is taken over. */
  readonly onTakeOver?: (stale: LockHolder | undefined) => void;
}

const ATTEMPTS = 5;

/**
 * Makes this process the one owner of run folder `dir`: creates
 * `dir/run.lock` (pid, host, time) atomically, so that of two processes
 * only one gets it. A lock left by a process that is gone (same host, its
 * pid no longer running) is taken over; a live holder is a RunFolderBusy.
 */
export async function lockRunFolder(dir: string, options: LockOptions = {}): Promise<RunLock> {
  const path = join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), processStart: processStart(process.pid), token: randomHex() };
  const text = `${JSON.stringify(holder)}\n`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (await createWhole(dir, path, text)) return ownLock(dir, path, holder);
    const found = await readFile(path, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : Promise.reject(error)));
    if (found === undefined) continue;
    const other = parseHolder(found);
    if (other !== undefined && isRunning(other)) throw new RunFolderBusy(dir, other);
    options.onTakeOver?.(other);
    await takeOver(path, found);
  }
  throw new InputError(`${dir}: could not lock the run folder (${path} keeps changing: another rxnn is starting there)`);
}

/** Creates `path` holding `text`, whole, unless it exists: false if it does. */
async function createWhole(dir: string, path: string, text: string): Promise<boolean> {
  // Written beside it, then linked: the lock file never exists half-written.
  const temporary = join(dir, `.${LOCK_FILE}.${randomHex()}.tmp`);
  await namingFile(path, 'create the lock file', writeFile(temporary, text, { flag: 'wx' }));
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw fileError(path, 'create the lock file', error);
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Removes a stale lock whose text is `stale`: moved aside first, so that a
 * lock another process created meanwhile is put back, not deleted.
 */
async function takeOver(path: string, stale: string): Promise<void> {
  const aside = `${path}.${randomHex()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8');
  if (moved !== stale) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

function ownLock(dir: string, path: string, holder: LockHolder): RunLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (parseHolder(readFileSync(path, 'utf8'))?.token === holder.token) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { dir, holder, release };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    const valid = typeof value?.pid === 'number' && Number.isSafeInteger(value.pid) && value.pid > 0 && typeof value.host === 'string' && typeof value.token === 'string';
    return valid ? { since: '?', ...value } as LockHolder : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder still runs; a holder on another host cannot be checked, so it counts as running. */
function isRunning(holder: LockHolder): boolean {
  return holder.host !== hostname() || isProcessRunning(holder.pid, holder.processStart);
}

function randomHex(): string {
  return randomBytes(8).toString('hex');
}
