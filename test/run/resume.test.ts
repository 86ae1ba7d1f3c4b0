import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutSeconds } from '../helpers/csv.js';
import {
  decodeSafetensors,
  findResumePoint,
  loadDataset,
  OPTIMIZERS,
  presetSettings,
  trainRun,
  type OptimizerName,
  type RunEvent,
  type Dataset,
  type TrainSettings,
} from '../../src/index.js';
import { createRunDirectory } from '../../src/run/run-directory.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

let train: Dataset;
let streamed: Dataset;
let test: Dataset;
beforeAll(async () => {
  const slice = await writeMnistSlice(300, 100);
  const trainFiles = { images: slice.trainImages, labels: slice.trainLabels };
  train = await loadDataset(trainFiles, { classes: 10 });
  streamed = await loadDataset(trainFiles, { classes: 10, stream: true });
  test = await loadDataset({ images: slice.testImages, labels: slice.testLabels }, { classes: 10 });
});

const LR: Record<OptimizerName, number> = { sgd: 0.3, momentum: 0.05, nesterov: 0.05, adagrad: 0.05, rmsprop: 0.003, adam: 0.003 };
type Order = 'permutation' | 'replacement' | 'buffer';

// Dropout and batch norm make the random generators and running statistics part of the state too.
function settings(optimizer: OptimizerName, order: Order): TrainSettings {
  return presetSettings('lesson', {
    model: { hidden: [16], activation: 'relu', init: { kind: 'he' }, dropout: 0.25, batchNorm: true },
    optimizer: { name: optimizer, lr: LR[optimizer] },
    schedule: { kind: 'cosine', warmup: 3 },
    // 8 steps an epoch, the last one short
    data: { batchSize: 40, sampler: order === 'replacement' ? 'replacement' : 'permutation', shuffleBuffer: order === 'buffer' ? 64 : undefined },
    run: { epochs: 3, seed: 11 },
  });
}

const newDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'rxnn-resume-'));

/** epochs.csv (without seconds), steps.csv and the final checkpoint's tensors. */
async function outcome(dir: string): Promise<{ epochs: string; steps: string; tensors: Record<string, number[]> }> {
  const names = (await readdir(join(dir, 'checkpoints'))).sort();
  const last = names.filter((n) => /^epoch-\d+\.safetensors$/.test(n)).at(-1)!;
  const file = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'checkpoints', last))), last);
  return {
    epochs: withoutSeconds(await readFile(join(dir, 'epochs.csv'), 'utf8')),
    steps: await readFile(join(dir, 'steps.csv'), 'utf8'),
    tensors: Object.fromEntries(file.tensors.map((t) => [t.name, Array.from(t.data)])),
  };
}

/** Runs until `stopAfter` steps (aborting the signal), then resumes from the newest checkpoint until the end. */
async function interruptedRun(s: TrainSettings, stopAfter: number, trainSet = train): Promise<{ dir: string; events: RunEvent[] }> {
  const train = trainSet;
  const dir = await newDir();
  await createRunDirectory(dir);
  const controller = new AbortController();
  const first = await lastValueFrom(
    trainRun({ settings: s, train, test, outDir: dir, folder: 'existing', signal: controller.signal }).pipe(
      tap((e) => {
        if (e.kind === 'step' && e.iteration === stopAfter) controller.abort('test');
      }),
      toArray(),
    ),
  );
  const from = await findResumePoint(join(dir, 'checkpoints'));
  const rest = await lastValueFrom(trainRun({ settings: s, train, test, outDir: dir, folder: 'existing', from }).pipe(toArray()));
  return { dir, events: [...first, ...rest] };
}

describe('a run stopped and resumed equals the run never stopped, bit for bit', () => {
  for (const optimizer of OPTIMIZERS) {
    for (const order of ['permutation', 'replacement', 'buffer'] as const) {
      it(`${optimizer}, ${order}: stopped inside epoch 2, and at the end of epoch 1`, async () => {
        const s = settings(optimizer, order);
        const whole = await newDir();
        await lastValueFrom(trainRun({ settings: s, train, test, outDir: whole }).pipe(toArray()));
        const expected = await outcome(whole);

        const inside = await interruptedRun(s, 11);
        const stopped = inside.events.find((e) => e.kind === 'stopped');
        expect(stopped).toMatchObject({ kind: 'stopped', reason: 'test', epoch: 2, iteration: 11 });
        expect(await readdir(join(inside.dir, 'checkpoints'))).toContain('epoch-0002-step-000003.safetensors');
        expect(await outcome(inside.dir)).toEqual(expected);

        const atEpochEnd = await interruptedRun(s, 8);
        expect(atEpochEnd.events.find((e) => e.kind === 'stopped')).toMatchObject({ epoch: 1, iteration: 8 });
        expect(await outcome(atEpochEnd.dir)).toEqual(expected);
      });
    }
  }

  it('a training set streamed from disk (stopped while chunks are still being read)', async () => {
    const s = settings('adam', 'buffer');
    const whole = await newDir();
    await lastValueFrom(trainRun({ settings: s, train: streamed, test, outDir: whole }).pipe(toArray()));
    const inside = await interruptedRun(s, 13, streamed);
    expect(inside.events.find((e) => e.kind === 'stopped')).toMatchObject({ epoch: 2, iteration: 13 });
    expect(await outcome(inside.dir)).toEqual(await outcome(whole));
  });

  it('extends a finished run with more epochs exactly as a longer run (constant rate)', async () => {
    const s = presetSettings(settings('momentum', 'permutation'), { schedule: { kind: 'constant', warmup: 0 } });
    const long = await newDir();
    await lastValueFrom(trainRun({ settings: s, train, test, outDir: long }).pipe(toArray()));
    const short = await newDir();
    await lastValueFrom(trainRun({ settings: presetSettings(s, { run: { epochs: 2 } }), train, test, outDir: short }).pipe(toArray()));
    const from = await findResumePoint(join(short, 'checkpoints'));
    expect(from?.name).toBe('epoch-0002.safetensors');
    await lastValueFrom(trainRun({ settings: s, train, test, outDir: short, folder: 'existing', from }).pipe(toArray()));
    expect(await outcome(short)).toEqual(await outcome(long));
  });
});
