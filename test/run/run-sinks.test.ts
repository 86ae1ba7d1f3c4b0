import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatMap, from, lastValueFrom, of, tap, toArray, type MonoTypeOperatorFunction } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  findResumePoint,
  presetSettings,
  loadDataset,
  metricCsvSink,
  metricTable,
  trainRun,
  type RunEvent,
  type RunSink,
  type Dataset,
  type StepResult,
  type TrainSettings,
} from '../../src/index.js';
import { createRunDirectory } from '../../src/run/run-directory.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  const slice = await writeMnistSlice(300, 100);
  train = await loadDataset({ images: slice.trainImages, labels: slice.trainLabels }, { classes: 10 });
  test = await loadDataset({ images: slice.testImages, labels: slice.testLabels }, { classes: 10 });
});

// 8 steps an epoch, a cosine schedule: every step's rate differs
const settings: TrainSettings = presetSettings('lesson', { model: { hidden: [16] }, optimizer: { lr: 0.3 }, schedule: { kind: 'cosine' }, data: { batchSize: 40 }, run: { epochs: 3, seed: 2 } });
const newDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'rxnn-sinks-'));

/** A sink of the kind a user adds: a CSV of each step's learning rate. */
const RATES = metricTable<StepResult>()('rates.csv', { iteration: (s) => s.iteration, lr: (s) => s.learningRate });
const ratesSink = (dir: string): RunSink => metricCsvSink(dir, RATES, (e) => (e.kind === 'step' ? e : undefined));

describe('runSinks: the run\'s extension point', () => {
  it('awaits a sink at every epoch boundary: the next epoch trains only once it has passed the report on', async () => {
    let stepsTrained = 0;
    const slow: string[] = [];
    const counter: RunSink = { write: tap((e: RunEvent) => void (e.kind === 'step' && stepsTrained++)) };
    // a sink that takes 30 ms at each epoch's end; a pass trained meanwhile would show in the counter before it
    const slowAtEpochs: MonoTypeOperatorFunction<RunEvent> = concatMap((e: RunEvent) => {
      if (e.kind !== 'epoch') return of(e);
      const before = stepsTrained;
      const done = new Promise<RunEvent>((resolve) => setTimeout(() => resolve(e), 30));
      return from(done.then((event) => (slow.push(`epoch ${e.epoch}: ${before} -> ${stepsTrained}`), event)));
    });
    const dir = await newDir();
    await lastValueFrom(trainRun({ settings, train, test, outDir: dir, sinks: [counter, { write: slowAtEpochs }] }).pipe(toArray()));
    expect(slow).toEqual(['epoch 1: 8 -> 8', 'epoch 2: 16 -> 16', 'epoch 3: 24 -> 24']);
  });

  it('counts a sink\'s records in the checkpoints, so a resumed run cuts its file back and equals a straight run', async () => {
    const whole = await newDir();
    await lastValueFrom(trainRun({ settings, train, test, outDir: whole, sinks: [ratesSink(whole)] }).pipe(toArray()));
    const straight = await readFile(join(whole, 'rates.csv'), 'utf8');
    expect(straight.split('\n')[0]).toBe('iteration,lr');
    expect(straight.trimEnd().split('\n')).toHaveLength(25);

    const dir = await newDir();
    await createRunDirectory(dir);
    const controller = new AbortController();
    const stopAt = (e: RunEvent): void => void (e.kind === 'step' && e.iteration === 11 && controller.abort('test'));
    await lastValueFrom(trainRun({ settings, train, test, outDir: dir, folder: 'existing', signal: controller.signal, sinks: [ratesSink(dir)] }).pipe(tap(stopAt), toArray()));
    const checkpoints = await readdir(join(dir, 'checkpoints'));
    expect(checkpoints).toContain('epoch-0002-step-000003.safetensors');
    const inside = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'checkpoints', 'epoch-0002-step-000003.safetensors'))), 'inside');
    expect(JSON.parse(inside.metadata['training_state']!).csv_rows).toEqual({ epochs: 1, rates: 11, steps: 11 });

    // resumed from the end of epoch 1, as if the newer checkpoint had been lost: rates.csv is cut back from 11 rows to 8
    await rm(join(dir, 'checkpoints', 'epoch-0002-step-000003.safetensors'));
    const resume = await findResumePoint(join(dir, 'checkpoints'));
    expect(resume?.name).toBe('epoch-0001.safetensors');
    await lastValueFrom(trainRun({ settings, train, test, outDir: dir, folder: 'existing', from: resume, sinks: [ratesSink(dir)] }).pipe(toArray()));
    expect(await readFile(join(dir, 'rates.csv'), 'utf8')).toBe(straight);
  });
});

describe('the run ledger', () => {
  it('gives every step the epoch\'s running mean loss, whose last value is the epoch\'s trainLoss', async () => {
    const events = await lastValueFrom(trainRun({ settings: presetSettings(settings, { run: { epochs: 2 } }), train, test, outDir: await newDir() }).pipe(toArray()));
    const steps = events.filter((e) => e.kind === 'step');
    const reports = events.filter((e) => e.kind === 'epoch');
    expect(steps[0]!.epochLoss).toBe(steps[0]!.loss);
    expect(steps[1]!.epochLoss).toBe((steps[0]!.loss + steps[1]!.loss) / 2);
    for (const report of reports) {
      const last = steps.filter((s) => s.epoch === report.epoch).at(-1)!;
      expect(last.epochLoss).toBe(report.trainLoss);
    }
  });
});
