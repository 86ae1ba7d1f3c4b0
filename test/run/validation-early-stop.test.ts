import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochRows } from '../helpers/csv.js';
import { runOutcome, type RunOutcome } from '../helpers/run-files.js';
import { findResumePoint, flatOverrides, layOver, LESSON_SETTINGS, loadDataset, SettingError, trainRun, type Dataset, type FlatOverrides, type RunEvent, type TrainSettings } from '../../src/index.js';
import { createRunDirectory } from '../../src/run/run-directory.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  const slice = await writeMnistSlice(300, 100);
  [train, test] = await Promise.all([
    loadDataset({ images: slice.trainImages, labels: slice.trainLabels }, { classes: 10 }),
    loadDataset({ images: slice.testImages, labels: slice.testLabels }, { classes: 10 }),
  ]);
});

const BASE: FlatOverrides = { epochs: 8, batchSize: 40, hidden: [16], activation: 'relu', init: { kind: 'he' }, lr: 0.3, seed: 5, validation: 0.2 };
/** The lesson's settings with these laid over them, as the command line's flags are. */
const settingsOf = (o: FlatOverrides): TrainSettings => layOver(LESSON_SETTINGS, flatOverrides(o));
const newDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'rxnn-val-'));

/** The CSVs (but for seconds) and the last epoch checkpoint's tensors. */
async function outcome(dir: string): Promise<RunOutcome> {
  const last = (await readdir(join(dir, 'checkpoints'))).filter((n) => /^epoch-\d+\.safetensors$/.test(n)).sort().at(-1)!;
  return runOutcome(dir, last);
}

async function wholeRun(s: TrainSettings): Promise<{ dir: string; events: RunEvent[] }> {
  const dir = await newDir();
  const events = await lastValueFrom(trainRun({ settings: s, train, test, outDir: dir }).pipe(toArray()));
  return { dir, events };
}

/** Stopped after `stopAfter` steps, then resumed from the newest checkpoint; the resumed part's events. */
async function interruptedRun(s: TrainSettings, stopAfter: number): Promise<{ dir: string; events: RunEvent[] }> {
  const dir = await newDir();
  await createRunDirectory(dir);
  const controller = new AbortController();
  await lastValueFrom(
    trainRun({ settings: s, train, test, outDir: dir, folder: 'existing', signal: controller.signal }).pipe(
      tap((e) => e.kind === 'step' && e.iteration === stopAfter && controller.abort('test')),
      toArray(),
    ),
  );
  const from = await findResumePoint(join(dir, 'checkpoints'));
  const events = await lastValueFrom(trainRun({ settings: s, train, test, outDir: dir, folder: 'existing', from }).pipe(toArray()));
  return { dir, events };
}

describe('a validation set held out of the training set', () => {
  it('trains on the rest only (6 steps of 40 out of 240), and epochs.csv gains val_loss and val_acc', async () => {
    const { dir, events } = await wholeRun(settingsOf({ ...BASE, epochs: 2 }));
    const rows = epochRows(await readFile(join(dir, 'epochs.csv'), 'utf8'));
    expect(rows.map((r) => r.iteration)).toEqual([6, 12]);
    for (const r of rows) {
      expect(r.val_loss).toBeGreaterThan(0);
      expect(r.val_acc! * 60).toBeCloseTo(Math.round(r.val_acc! * 60), 9); // 60 samples held out
    }
    const scoring = events.filter((e) => e.kind === 'scoring');
    expect(scoring.filter((e) => e.set === 'validation').at(-1)).toMatchObject({ done: 60, total: 60 });
    expect(scoring.filter((e) => e.set === 'train').at(-1)).toMatchObject({ done: 240, total: 240 });
  });

  it('same seed, same numbers; without a validation set the columns stay empty', async () => {
    const a = await wholeRun(settingsOf({ ...BASE, epochs: 1 }));
    const b = await wholeRun(settingsOf({ ...BASE, epochs: 1 }));
    expect(await outcome(a.dir)).toEqual(await outcome(b.dir));
    const none = await wholeRun(settingsOf({ ...BASE, epochs: 1, validation: undefined }));
    const text = await readFile(join(none.dir, 'epochs.csv'), 'utf8');
    expect(text.split('\n')[1]).toMatch(/,,$/);
    expect(epochRows(text)[0]!.iteration).toBe(8);
  });

  it('a run folder written before val_loss,val_acc existed gets them, empty, when resumed', async () => {
    const s = settingsOf({ ...BASE, validation: undefined, epochs: 2 });
    const whole = await wholeRun(s);
    const dir = await newDir();
    await lastValueFrom(trainRun({ settings: settingsOf({ ...BASE, validation: undefined, epochs: 1 }), train, test, outDir: dir }));
    const path = join(dir, 'epochs.csv');
    const old = (await readFile(path, 'utf8')).replace('seconds,val_loss,val_acc', 'seconds').replace(/,,\n/g, '\n');
    await writeFile(path, old);
    const from = await findResumePoint(join(dir, 'checkpoints'));
    await lastValueFrom(trainRun({ settings: s, train, test, outDir: dir, folder: 'existing', from }));
    expect(await outcome(dir)).toEqual(await outcome(whole.dir));
  });

  it('a validation metric without a validation set is refused before anything is written', async () => {
    const dir = await newDir();
    const run = trainRun({ settings: settingsOf({ ...BASE, validation: undefined }), train, test, outDir: join(dir, 'r'), saveBest: 'val_acc' });
    await expect(lastValueFrom(run)).rejects.toThrow(SettingError);
    await expect(readdir(dir)).resolves.toEqual([]);
  });
});

describe('early stopping', () => {
  // no epoch can beat the first by more than 1 in accuracy: the run stops after epoch 1 + PATIENCE
  const s: TrainSettings = settingsOf({ ...BASE, earlyStop: { patience: 2, minDelta: 1, metric: 'val_acc' } });

  it('ends the run after PATIENCE epochs without improvement, saying which epoch was best', async () => {
    const { dir, events } = await wholeRun(s);
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: 'early-stopped', epoch: 3, iteration: 18, patience: 2, best: { metric: 'val_acc', epoch: 1 } });
    expect(epochRows(await readFile(join(dir, 'epochs.csv'), 'utf8')).map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it('stops at the same epoch with the same files when interrupted and resumed (inside an epoch, at an epoch end, after the last epoch)', async () => {
    const whole = await wholeRun(s);
    const expected = await outcome(whole.dir);
    for (const stopAfter of [9, 12, 18]) {
      const resumed = await interruptedRun(s, stopAfter);
      expect(await outcome(resumed.dir), `stopped after step ${stopAfter}`).toEqual(expected);
      expect(resumed.events.at(-1)).toEqual(whole.events.at(-1));
    }
  });
});

describe('reduce on plateau', () => {
  // at this rate the validation loss goes up after epoch 2, so the rate is cut
  const s: TrainSettings = settingsOf({ ...BASE, lr: 1, epochs: 7, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1, minLr: 0.3 } });

  it('cuts the rate by FACTOR after PATIENCE epochs without a lower validation loss, never below MIN_LR', async () => {
    const { dir } = await wholeRun(s);
    const rows = epochRows(await readFile(join(dir, 'epochs.csv'), 'utf8'));
    const rates = rows.map((r) => r.lr);
    expect(rates[0]).toBe(1);
    expect(new Set(rates).size).toBeGreaterThan(1);
    let best = Infinity;
    let wait = 0;
    let rate = 1;
    rows.forEach((r) => {
      expect(r.lr).toBe(rate);
      if (r.val_loss! < best) [best, wait] = [r.val_loss!, 0];
      else if (++wait >= 1) [rate, wait] = [Math.max(rate * 0.5, 0.3), 0];
    });
  });

  it('resumes bit for bit: the schedule state is in the checkpoint', async () => {
    const expected = await outcome((await wholeRun(s)).dir);
    for (const stopAfter of [14, 18, 24]) expect(await outcome((await interruptedRun(s, stopAfter)).dir), `stopped after step ${stopAfter}`).toEqual(expected);
  });
});
