import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, Random } from '../../src/index.js';
import { runOutcome, type RunOutcome } from '../helpers/run-files.js';
import { readEpochsCsv } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { RXNN, runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
// Adam, dropout and batch norm: optimizer slots, a random generator and running statistics all have to survive.
const RUN = ['--epochs', '3', '--hidden', '128', '--activation', 'relu', '--batch-norm', '--dropout', '0.2', '--optimizer', 'adam', '--lr', '0.002', '--batch-size', '25', '--seed', '3'];

// The signal tests use the slower TypeScript kernels, so the signal lands while the run is still going.
const TS = ['--backend', 'ts'];

const outcome = (dir: string): Promise<RunOutcome> => runOutcome(dir, 'epoch-0003.safetensors');

function start(args: readonly string[], npmCommand?: string): {
  child: ChildProcess;
  done: Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>;
  stderr: () => string;
} {
  const { npm_command: _npx, ...env } = process.env;
  const child = spawn(process.execPath, [RXNN, ...args], { env: npmCommand === undefined ? env : { ...env, npm_command: npmCommand }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(test: () => boolean | Promise<boolean>, everyMs = 1, limitMs = 60_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await test()) return true;
    await sleep(everyMs);
  }
  return false;
}
const tempFiles = async (dir: string): Promise<string[]> =>
  [...(await readdir(dir).catch(() => [])), ...(await readdir(join(dir, 'checkpoints')).catch(() => []))].filter((n) => n.endsWith('.tmp'));

let whole: string;
let expected: RunOutcome;
let expectedTs: RunOutcome;
beforeAll(async () => {
  slice = await writeMnistSlice(500, 100);
  whole = join(slice.dir, 'whole');
  const wholeTs = join(slice.dir, 'whole-ts');
  const results = await Promise.all([
    runRxnn(['train', ...data(), ...RUN, '--out', whole]),
    runRxnn(['train', ...data(), ...RUN, ...TS, '--out', wholeTs]),
  ]);
  expect(results.map((r) => r.status)).toEqual([0, 0]);
  expected = await outcome(whole);
  expectedTs = await outcome(wholeTs);
});

describe('rxnn train --resume', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} inside an epoch: saves, exits ${status}, and the resumed run equals the run never stopped`, async () => {
      const dir = join(slice.dir, `stopped-${signal}`);
      // Under SIGTERM as if started by `npx rxnn` (npm sets npm_command=exec): the hint then says so.
      const npx = signal === 'SIGTERM';
      const run = start(['train', ...data(), ...RUN, ...TS, '--out', dir], npx ? 'exec' : undefined);
      // At once when epoch 1 is reported (its checkpoint is then on disk and synced): epoch 2 (about 0.2 s) is
      // then running; later, the signal could land in the last epoch's evaluation, after which the run simply completes.
      expect(await until(() => run.stderr().includes('epoch 1/3'))).toBe(true);
      run.child.kill(signal);
      const stopped = await run.done;
      expect(stopped.status).toBe(status);
      expect(stopped.stderr).toMatch(new RegExp(`stopped by ${signal} at step \\d+ \\(epoch [23]\\); saved .*; continue with: ${npx ? 'npx rxnn' : 'rxnn'} train --resume ${dir}$`, 'm'));
      expect(JSON.parse(stopped.stdout)).toMatchObject({ status: 'interrupted', out: dir });
      const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      expect(manifest.status).toBe('interrupted');

      const resumed = await runRxnn(['train', '--resume', dir]);
      expect(resumed.status).toBe(0);
      expect(resumed.stderr).toMatch(/resuming .* from epoch-000[23]/);
      // The summary's seconds is the run's whole time, the time before the stop included, as the epoch rows count it.
      const rows = (await readFile(join(dir, 'epochs.csv'), 'utf8')).trim().split('\n');
      const lastRowSeconds = Number(rows.at(-1)!.split(',').at(-1));
      // (The summary gives milliseconds; rounding both keeps the order.)
      expect(JSON.parse(resumed.stdout).seconds).toBeGreaterThanOrEqual(Number(lastRowSeconds.toFixed(3)));
      expect(await outcome(dir)).toEqual(expectedTs);
      const after = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      expect(after).toMatchObject({ status: 'completed', final: { epoch: 3 } });
      expect(after.resumes).toHaveLength(1);
      expect(await tempFiles(dir)).toEqual([]);
    });
  }

  it('a second Ctrl-C exits at once (130) and the run still resumes to the same result', async () => {
    const dir = join(slice.dir, 'twice');
    const run = start(['train', ...data(), ...RUN, ...TS, '--out', dir]);
    expect(await until(() => run.stderr().includes('epoch 1/3'))).toBe(true);
    run.child.kill('SIGINT');
    // The second as soon as the first is acknowledged: while the run is still saving its checkpoint.
    run.child.stderr!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('finishing the current step')) run.child.kill('SIGINT');
    });
    const stopped = await run.done;
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toMatch(/SIGINT again: stopping now/);
    // Even a stop at once records itself, and leaves no temporary file or lock behind.
    const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'interrupted', message: expect.stringMatching(/^stopped at once by a second signal/) });
    expect(await tempFiles(dir)).toEqual([]);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    const resumed = await runRxnn(['train', '--resume', dir]);
    expect(resumed.status).toBe(0);
    expect(await outcome(dir)).toEqual(expectedTs);
  });

  it('survives SIGKILL at 20+ moments, during checkpoint and CSV writes too, and always reaches the same result', async () => {
    const random = Random.derive(2026);
    let kills = 0;
    let killsDuringWrites = 0;
    for (let chain = 0; kills < 24; chain++) {
      const dir = join(slice.dir, `killed-${chain}`);
      for (let attempt = 0; ; attempt++) {
        const run = start(attempt === 0 ? ['train', ...data(), ...RUN, '--out', dir] : ['train', '--resume', dir]);
        let exited = false;
        void run.done.then(() => (exited = true));
        // A folder becomes resumable once run.json is written; before that there is nothing to resume.
        await until(() => exited || existsSync(join(dir, 'run.json')));
        if ((kills + attempt) % 3 === 0) {
          await until(async () => exited || (await tempFiles(dir)).length > 0, 0);
        } else {
          await sleep(random.int(1500));
        }
        const writing = (await tempFiles(dir)).length > 0;
        const killed = !exited && run.child.kill('SIGKILL');
        const result = await run.done;
        if (killed && result.signal === 'SIGKILL') {
          kills++;
          if (writing) killsDuringWrites++;
          continue;
        }
        expect(result.stderr).not.toMatch(/error/i);
        expect(result.status).toBe(0);
        break;
      }
      expect(await outcome(dir)).toEqual(expected);
      expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).status).toBe('completed');
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(killsDuringWrites).toBeGreaterThanOrEqual(5);
  }, 600_000);

  it('refuses a changed flag, fewer epochs, and a folder without run.json (exit 2, one line)', async () => {
    const changed = await runRxnn(['train', '--resume', whole, '--lr', '0.1']);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toBe(`rxnn: --lr: the run in ${whole} was started with 0.002; a resumed run keeps its settings (only --epochs, --keep-checkpoints, --threads, --plot, --quiet and the fetching flags may change)\n`);
    const fewer = await runRxnn(['train', '--resume', whole, '--epochs', '2']);
    expect(fewer.status).toBe(2);
    expect(fewer.stderr).toMatch(/^rxnn: --epochs: .* already reached epoch 3; give at least 3\n$/);
    const none = await runRxnn(['train', '--resume', slice.dir]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^rxnn: .*run\.json: missing/);
    const same = await runRxnn(['train', '--resume', whole, '--lr', '0.002']);
    expect(same.status).toBe(0);
    expect(same.stderr).toMatch(/already finished its 3 epochs/);
  });

  it('extends a finished run with --epochs, keeping the newest N checkpoints and the best one across the resume', async () => {
    const dir = join(slice.dir, 'extended');
    const flags = ['--keep-checkpoints', '2', '--save-best', 'test_loss'];
    expect((await runRxnn(['train', ...data(), ...RUN, ...flags, '--out', dir])).status).toBe(0);
    const more = await runRxnn(['train', '--resume', dir, '--epochs', '5']);
    expect(more.status).toBe(0);
    expect(JSON.parse(more.stdout)).toMatchObject({ epochs: 5, status: 'completed' });
    expect((await readdir(join(dir, 'checkpoints'))).sort()).toEqual(['best.safetensors', 'epoch-0004.safetensors', 'epoch-0005.safetensors']);
    const rows = await readEpochsCsv(join(dir, 'epochs.csv'));
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    const bestRow = rows.reduce((a, b) => (b.test_loss < a.test_loss ? b : a));
    const best = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'checkpoints', 'best.safetensors'))), 'best');
    expect(Number(best.metadata['epoch'])).toBe(bestRow.epoch);
    const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(manifest.args).toMatchObject({ epochs: 5, saveBest: 'test_loss', keepCheckpoints: 2 });
  });
});

describe('run.json and the NaN guard', () => {
  it('records the command, settings, versions, input digests and the final metrics', async () => {
    const manifest = JSON.parse(await readFile(join(whole, 'run.json'), 'utf8'));
    expect(manifest.command).toEqual(['rxnn', 'train', ...data(), ...RUN, '--out', whole]);
    expect(manifest.settings).toMatchObject({ model: { hidden: [128], batchNorm: true }, optimizer: { name: 'adam', lr: 0.002 }, run: { epochs: 3, seed: 3 } });
    expect(manifest.rxnn.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.node).toBe(process.version);
    expect(manifest.inputs.trainImages).toEqual({ source: slice.trainImages, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Date.parse(manifest.started)).toBeLessThanOrEqual(Date.parse(manifest.finished));
    const lastRow = (await readEpochsCsv(join(whole, 'epochs.csv'))).at(-1)!;
    expect(manifest.final).toMatchObject({ epoch: 3, iteration: lastRow.iteration, train_acc: lastRow.train_acc, test_acc: lastRow.test_acc });
  });

  it('--lr 1e30 stops with exit 3, names the step, suggests a lower rate and leaves a loadable last-good checkpoint', async () => {
    const dir = join(slice.dir, 'diverged');
    const result = await runRxnn(['train', ...data(), '--lr', '1e30', '--out', dir]);
    expect(result.status).toBe(3);
    const message = result.stderr.trimEnd().split('\n').at(-1)!;
    expect(message).toMatch(/^rxnn: the loss .* at step 2 \(epoch 1, learning rate 1e\+30\); the state before that step is in .*epoch-0001-step-000001\.safetensors\. Try a lower learning rate \(--lr 1e\+29 or below\)$/);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'diverged', step: 2 });
    expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).status).toBe('diverged');
    const checkpoint = join(dir, 'checkpoints', 'epoch-0001-step-000001.safetensors');
    const evaluated = await runRxnn(['eval', checkpoint, '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(evaluated.status).toBe(0);
    expect(JSON.parse(evaluated.stdout).iteration).toBe(1);
  });
});
