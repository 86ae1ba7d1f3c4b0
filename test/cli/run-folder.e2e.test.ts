import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { faultyEnv, runOutcome, type RunOutcome } from '../helpers/run-files.js';
import { RXNN, runRxnn, type Result } from './run-rxnn.js';

let slice: SliceFiles;
const RUN = ['--epochs', '3', '--hidden', '20', '--lr', '0.5', '--batch-size', '20', '--init-std', '0.1', '--seed', '4'];
/** The slice's files and RUN, with some flags given other values. */
const flags = (changed: Record<string, string> = {}): string[] => {
  const all: Record<string, string> = {
    '--train-images': slice.trainImages,
    '--train-labels': slice.trainLabels,
    '--test-images': slice.testImages,
    '--test-labels': slice.testLabels,
    ...Object.fromEntries(RUN.flatMap((flag, i) => (i % 2 === 0 ? [[flag, RUN[i + 1]!]] : []))),
    ...changed,
  };
  return Object.entries(all).flat();
};
const data = (): string[] => flags().slice(0, 8);
const final = (dir: string): Promise<RunOutcome> => runOutcome(dir, 'epoch-0003.safetensors');
const rows = async (dir: string, csv: string): Promise<number> => (await readFile(join(dir, csv), 'utf8')).trim().split('\n').length - 1;
const oneLine = (result: Result): string => {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr.trimEnd().split('\n').at(-1)!;
};

let whole: string;
let expected: RunOutcome;
beforeAll(async () => {
  slice = await writeMnistSlice(500, 100);
  whole = join(slice.dir, 'whole');
  expect((await runRxnn(['train', ...flags(), '--out', whole])).status).toBe(0);
  expected = await final(whole);
});

describe('one owner per run folder', () => {
  it('a second --resume while the run goes on is refused (exit 2, naming the folder and the holder); the run is untouched', async () => {
    const dir = join(slice.dir, 'held');
    const run = spawn(process.execPath, [RXNN, 'train', ...flags({ '--epochs': '30', '--backend': 'ts' }), '--out', dir], { stdio: 'ignore' });
    const done = new Promise<number | null>((resolve) => run.on('close', resolve));
    for (let i = 0; i < 600 && !existsSync(join(dir, 'run.json')); i++) await new Promise((r) => setTimeout(r, 10));
    const [second, third] = await Promise.all([runRxnn(['train', '--resume', dir]), runRxnn(['train', ...flags(), '--out', dir])]);
    for (const refused of [second, third]) {
      expect(refused.status).toBe(2);
      expect(oneLine(refused)).toMatch(new RegExp(`^rxnn: ${dir}: in use by another rxnn run \\(pid ${run.pid} on ${hostname()}, since .*\\); wait for it to end or stop it$`));
    }
    expect(await done).toBe(0);
    expect(await rows(dir, 'epochs.csv')).toBe(30);
    expect(await rows(dir, 'steps.csv')).toBe(750);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  });

  it('takes over the lock a killed run left, with a message, and resumes', async () => {
    const dir = join(slice.dir, 'stale');
    await cp(whole, dir, { recursive: true });
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    await writeFile(join(dir, 'run.lock'), JSON.stringify({ pid: dead, host: hostname(), since: '2026-12-01T00:00:00.000Z', token: 'x' }));
    const resumed = await runRxnn(['train', '--resume', dir, '--epochs', '4']);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toContain(`rxnn: ${dir}: taking over the lock of pid ${dead} (since 2026-12-01T00:00:00.000Z), which no longer runs\n`);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  });
});

describe('checks before side effects', () => {
  it('an empty set or mismatched images fail before the folder exists, naming the file; the same --out then works', async () => {
    const empty = join(slice.dir, 'empty-images');
    const emptyLabels = join(slice.dir, 'empty-labels');
    const wide = join(slice.dir, 'wide-images');
    const floats = join(slice.dir, 'float-images');
    await writeFile(empty, encodeIdx('ubyte', [0, 28, 28], []));
    await writeFile(emptyLabels, encodeIdx('ubyte', [0], []));
    await writeFile(wide, encodeIdx('ubyte', [100, 29, 28], new Uint8Array(81200)));
    await writeFile(floats, encodeIdx('float', [100, 28, 28], new Float32Array(78400)));
    const out = join(slice.dir, 'checked-first');
    const cases: [Record<string, string>, RegExp][] = [
      [{ '--test-images': empty, '--test-labels': emptyLabels }, new RegExp(`^rxnn: ${empty}: holds no images$`)],
      [{ '--test-images': wide }, new RegExp(`^rxnn: ${wide}: images of 29x28 values, but the training images \\(${slice.trainImages}\\) have 28x28; they must match$`)],
      [{ '--test-images': floats }, new RegExp(`^rxnn: ${floats}: float values, but the training images \\(${slice.trainImages}\\) are ubyte; they must match$`)],
    ];
    for (const [changed, message] of cases) {
      const result = await runRxnn(['train', ...flags(changed), '--out', out]);
      expect(result.status).toBe(2);
      expect(oneLine(result)).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    expect((await runRxnn(['train', ...flags(), '--out', out])).status).toBe(0);
    expect(await final(out)).toEqual(expected);
  });

  it('names a --out below a file, a runs/ that is a file, and a checkpoints/ that is a file on resume (exit 2)', async () => {
    const file = join(slice.dir, 'a-file');
    await writeFile(file, '');
    const below = await runRxnn(['train', ...flags(), '--out', join(file, 'run')]);
    expect(below.status).toBe(2);
    expect(oneLine(below)).toBe(`rxnn: ${join(file, 'run')}: cannot create the run folder: a part of the path is not a folder (ENOTDIR)`);
    const cwd = join(slice.dir, 'cwd');
    await mkdir(cwd);
    await writeFile(join(cwd, 'runs'), '');
    const inCwd = await runRxnn(['train', ...data(), ...RUN], { cwd });
    expect(inCwd.status).toBe(2);
    expect(oneLine(inCwd)).toBe('rxnn: runs: cannot create the folder: already exists (EEXIST)');
    const dir = join(slice.dir, 'checkpoints-file');
    await cp(whole, dir, { recursive: true });
    await cp(join(whole, 'checkpoints', 'epoch-0001.safetensors'), join(dir, 'cp'));
    await rm(join(dir, 'checkpoints'), { recursive: true });
    await rename(join(dir, 'cp'), join(dir, 'checkpoints'));
    const resumed = await runRxnn(['train', '--resume', dir]);
    expect(resumed.status).toBe(2);
    expect(oneLine(resumed)).toBe(`rxnn: ${join(dir, 'checkpoints')}: cannot read the folder: a part of the path is not a folder (ENOTDIR)`);
  });
});

describe('a full disk', () => {
  it('names the file it could not write (exit 2) and leaves the run resumable to the same result', async () => {
    const dir = join(slice.dir, 'full-at-epoch-2');
    const failed = await runRxnn(['train', ...flags(), '--out', dir], { env: faultyEnv({ full: 'epoch-0002.safetensors' }) });
    expect(failed.status).toBe(2);
    expect(oneLine(failed)).toBe(`rxnn: ${join(dir, 'checkpoints', 'epoch-0002.safetensors')}: cannot write: no space left on the device (ENOSPC)`);
    expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).status).toBe('failed');
    expect((await readdir(join(dir, 'checkpoints'))).sort()).toEqual(['epoch-0001.safetensors']);
    const resumed = await runRxnn(['train', '--resume', dir]);
    expect(resumed.status).toBe(0);
    expect(await final(dir)).toEqual(expected);
  });

  it('at the start of a run, leaves a folder that the same command then uses', async () => {
    const dir = join(slice.dir, 'full-at-start');
    const failed = await runRxnn(['train', ...flags(), '--out', dir], { env: faultyEnv({ full: 'run.json' }) });
    expect(failed.status).toBe(2);
    expect(oneLine(failed)).toBe(`rxnn: ${join(dir, 'run.json')}: cannot write: no space left on the device (ENOSPC)`);
    expect((await readdir(dir)).sort()).toEqual(['checkpoints', 'epochs.csv', 'steps.csv']);
    expect((await runRxnn(['train', ...flags(), '--out', dir])).status).toBe(0);
    expect(await final(dir)).toEqual(expected);
  });

  const canMount = spawnSync('unshare', ['-r', '-m', 'true']).status === 0;
  it.skipIf(!canMount)('on a real 160 KB tmpfs: exit 2 naming the file, then the run resumes elsewhere to the same result', async () => {
    const mount = join(slice.dir, 'tmpfs');
    const saved = join(slice.dir, 'from-tmpfs');
    await mkdir(mount);
    const script = [
      `mount -t tmpfs -o size=160k tmpfs "${mount}"`,
      `"${process.execPath}" "${RXNN}" train ${flags().join(' ')} --out "${mount}/run" 2>"${mount}/../tmpfs-stderr"; echo $? > "${mount}/../tmpfs-status"`,
      `cp -r "${mount}/run" "${saved}"`,
    ].join(' && ');
    expect(spawnSync('unshare', ['-r', '-m', 'sh', '-c', script]).status).toBe(0);
    expect(await readFile(join(slice.dir, 'tmpfs-status'), 'utf8')).toBe('2\n');
    const stderr = await readFile(join(slice.dir, 'tmpfs-stderr'), 'utf8');
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^rxnn: ${mount}/run/.*: cannot write: no space left on the device \\(ENOSPC\\)$`));
    // The copy keeps the absolute data paths of run.json: it resumes in its new folder.
    const resumed = await runRxnn(['train', '--resume', saved]);
    expect(resumed.status).toBe(0);
    expect(await final(saved)).toEqual(expected);
  });

  it('fsyncs the folder after each rename', async () => {
    const dir = join(slice.dir, 'synced');
    const log = join(slice.dir, 'sync-log');
    expect((await runRxnn(['train', ...flags({ '--epochs': '1' }), '--out', dir], { env: faultyEnv({ syncLog: log }) })).status).toBe(0);
    const synced = (await readFile(log, 'utf8')).trim().split('\n');
    // run.json, 2 CSV headers, run.json again at the end: the run folder; the checkpoint: checkpoints/
    expect(synced.filter((f) => f === dir).length).toBeGreaterThanOrEqual(6);
    expect(synced).toContain(join(dir, 'checkpoints'));
  });
});
