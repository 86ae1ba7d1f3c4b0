import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  lockRunFolder,
  RunFolderBusy,
  type LockHolder,
} from '../../src/index.js';
import { LOCK_FILE } from '../../src/run/run-lock.js';

const folder = (): Promise<string> => mkdtemp(join(tmpdir(), 'rxnn-lock-'));

/** The id of a process that has ended: a short child that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('lockRunFolder', () => {
  it('records pid, host and time in DIR/run.lock and removes it on release', async () => {
    const dir = await folder();
    const lock = await lockRunFolder(dir);
    const holder = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), token: lock.holder.token });
    expect(Date.parse(holder.since)).toBeLessThanOrEqual(Date.now());
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second owner while the first holds the folder, naming the folder and the holder', async () => {
    const dir = await folder();
    const first = await lockRunFolder(dir);
    const error = await lockRunFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFolderBusy);
    expect((error as Error).message).toMatch(new RegExp(`^${dir}: in use by another rxnn run \\(pid ${process.pid} on ${hostname()}, since `));
    first.release();
    (await lockRunFolder(dir)).release();
  });

  it('of many processes racing for one folder, exactly one gets it', async () => {
    const dir = await folder();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockRunFolder(dir)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof RunFolderBusy)).toBe(true);
  });

  it('takes over the lock of a process that no longer runs, saying so', async () => {
    const dir = await folder();
    const stale: LockHolder = { pid: deadPid(), host: hostname(), since: '2026-01-01T00:00:00.000Z', token: 'old' };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale));
    const told: (LockHolder | undefined)[] = [];
    const lock = await lockRunFolder(dir, { onTakeOver: (holder) => told.push(holder) });
    expect(told).toEqual([stale]);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('never takes a lock whose holder runs on another host (it cannot be checked)', async () => {
    const dir = await folder();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'elsewhere', since: 'then', token: 't' }));
    await expect(lockRunFolder(dir)).rejects.toThrow(/in use by another rxnn run \(pid \d+ on elsewhere, since then\); .* or delete .*run\.lock if it no longer runs/);
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const dir = await folder();
    const lock = await lockRunFolder(dir);
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), since: 'now', token: 'someone else' }));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
