import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/index.js';
import { runOutcome, type RunOutcome } from '../helpers/run-files.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { RXNN, runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
// The TypeScript kernels: slow enough that a signal lands inside an epoch.
const RUN = ['--epochs', '3', '--hidden', '64', '--activation', 'relu', '--batch-size', '25', '--seed', '5', '--backend', 'ts'];
const AUGMENT = ['--augment-shift', '2', '--augment-rotate', '10', '--augment-scale', '1.1'];

const outcome = (dir: string): Promise<RunOutcome> => runOutcome(dir, 'epoch-0003.safetensors');

let expected: RunOutcome;
let plain: RunOutcome;
beforeAll(async () => {
  slice = await writeMnistSlice(500, 100);
  const [augmented, without] = await Promise.all([
    runRxnn(['train', ...data(), ...RUN, ...AUGMENT, '--out', join(slice.dir, 'whole')]),
    runRxnn(['train', ...data(), ...RUN, '--out', join(slice.dir, 'plain')]),
  ]);
  expect([augmented.status, without.status]).toEqual([0, 0]);
  expected = await outcome(join(slice.dir, 'whole'));
  plain = await outcome(join(slice.dir, 'plain'));
});

describe('rxnn train --augment-*', () => {
  it('trains on augmented images (other numbers than without), records the flags and says so in the banner', async () => {
    expect(expected.steps).not.toEqual(plain.steps);
    const manifest = JSON.parse(await readFile(join(slice.dir, 'whole', 'run.json'), 'utf8'));
    expect(manifest.args).toMatchObject({ augmentShift: 2, augmentRotate: 10, augmentScale: 1.1 });
    expect(manifest.settings.data.augment).toEqual({ shift: 2, rotate: 10, scale: 1.1 });
    const again = await runRxnn(['train', ...data(), ...RUN, ...AUGMENT, '--epochs', '1', '--out', join(slice.dir, 'banner')]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/augment shift 2 rotate 10 scale 1\.1/);
  });

  it('stopped inside an epoch and resumed, gives the same CSVs and weights as the run never stopped', async () => {
    const dir = join(slice.dir, 'stopped');
    const child = spawn(process.execPath, [RXNN, 'train', ...data(), ...RUN, ...AUGMENT, '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('epoch 1/3') && !child.killed) child.kill('SIGINT');
    });
    expect(await done).toBe(130);
    const stop = /stopped by SIGINT at step (\d+) \(epoch ([23])\)/.exec(stderr);
    expect(stop, stderr).not.toBeNull();
    const resumed = await runRxnn(['train', '--resume', dir]);
    expect(resumed.status).toBe(0);
    // the checkpoint of the step it stopped at: a step checkpoint inside an epoch, the epoch's own at its last step (20 steps an epoch)
    const step = Number(stop![1]);
    const epoch = Math.ceil(step / 20);
    expect(resumed.stderr).toMatch(step % 20 === 0 ? new RegExp(`resuming .* from epoch-000${epoch}\\.safetensors`) : new RegExp(`resuming .* from epoch-000${epoch}-step`));
    expect(await outcome(dir)).toEqual(expected);
  });

  it('refuses a resume that changes the augmentation', async () => {
    const result = await runRxnn(['train', '--resume', join(slice.dir, 'whole'), '--augment-shift', '3']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^rxnn: --augment-shift: the run in .* was started with 2; a resumed run keeps its settings/m);
  });

  it('refuses to augment samples that are vectors, not images, before the run folder is made', async () => {
    const images = join(slice.dir, 'vectors-idx1-ubyte');
    await writeFile(images, encodeIdx('ubyte', [4, 784], new Uint8Array(4 * 784)));
    const labels = join(slice.dir, 'vector-labels-idx1-ubyte');
    await writeFile(labels, encodeIdx('ubyte', [4], [0, 1, 2, 3]));
    const out = join(slice.dir, 'vectors');
    const result = await runRxnn(['train', '--train-images', images, '--train-labels', labels, '--test-images', images, '--test-labels', labels, '--augment-rotate', '5', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rxnn: --augment-rotate: moves images, but the training samples (${images}) are vectors of 784 values\n`);
    expect(existsSync(out)).toBe(false);
  });

  for (const [flag, value, problem] of [
    ['--augment-shift', '1.5', 'expected an integer, got "1.5"'],
    ['--augment-shift', '-1', 'must be a whole number of pixels, 0 or more, got -1'],
    ['--augment-rotate', 'x', 'expected a number, got "x"'],
    ['--augment-rotate', '200', 'must be in [0, 180] degrees, got 200'],
    ['--augment-scale', '0.5', 'must be a zoom factor of 1 (none) or more, got 0.5'],
  ] as const) {
    it(`refuses ${flag} ${value} with one line naming the flag (exit 2)`, async () => {
      const result = await runRxnn(['train', ...data(), '--epochs', '1', flag, value, '--out', join(slice.dir, `bad${flag}${value}`)]);
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(`rxnn: ${flag}: ${problem}`);
    });
  }
});
