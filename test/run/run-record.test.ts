import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findResumePoint, loadDataset, presetSettings, readManifest, TrainingDiverged, trainRun, type Dataset, type TrainSettings } from '../../src/index.js';
import { createRunDirectory } from '../../src/run/run-directory.js';
import { runRxnn } from '../cli/run-rxnn.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';

let slice: SliceFiles;
let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  slice = await writeMnistSlice(200, 100);
  train = await loadDataset({ images: slice.trainImages, labels: slice.trainLabels }, { classes: 10 });
  test = await loadDataset({ images: slice.testImages, labels: slice.testLabels }, { classes: 10 });
});

// 5 steps an epoch
const settings: TrainSettings = presetSettings('lesson', { model: { hidden: [12] }, optimizer: { lr: 0.5 }, data: { batchSize: 40 }, run: { epochs: 2, seed: 4 } });
const readJson = async (dir: string) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));

describe('a run made in code records itself in run.json, as rxnn train does', () => {
  it('running before the first step, completed at the end, with its settings and final metrics; `rxnn runs` lists it', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'rxnn-library-runs-'));
    const dir = join(parent, 'library');
    let first: unknown;
    const events = await lastValueFrom(trainRun({ settings, train, test, outDir: dir }).pipe(tap(() => (first ??= JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')))), toArray()));
    expect(first).toMatchObject({ status: 'running', command: [], args: {} });
    const record = await readJson(dir);
    expect(record).toMatchObject({ format: 1, command: [], args: {}, status: 'completed', resumes: [], rxnn: { version: expect.any(String) }, node: process.version });
    expect(record.settings).toEqual(JSON.parse(JSON.stringify(settings)));
    expect(record.inputs.trainImages).toEqual({ source: slice.trainImages, sha256: train.digests!.images });
    const last = events.filter((e) => e.kind === 'epoch').at(-1)!;
    expect(record.final).toEqual({ epoch: 2, iteration: 10, train_loss: last.trainLoss, train_acc: last.trainAccuracy, test_loss: last.testLoss, test_acc: last.testAccuracy, seconds: last.seconds });
    expect((await readManifest(dir)).status).toBe('completed');

    const listed = await runRxnn(['runs', parent, '--json']);
    expect(listed.status).toBe(0);
    const [row] = JSON.parse(listed.stdout);
    expect(row).toMatchObject({ run: 'library', status: 'completed', epochs: 2, test_acc: last.testAccuracy });
    expect(row.settings).toMatchObject({ hidden: '12', lr: '0.5', batchSize: '40', seed: '4', optimizer: 'sgd' });
  });

  it('interrupted when stopped on its signal, and a resume in code continues the record', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'rxnn-library-stop-')), 'run');
    const stop = new AbortController();
    let steps = 0;
    await lastValueFrom(
      trainRun({ settings, train, test, outDir: dir, signal: stop.signal }).pipe(
        tap((e) => e.kind === 'step' && ++steps === 7 && stop.abort('test')),
        toArray(),
      ),
    );
    const stopped = await readJson(dir);
    expect(stopped).toMatchObject({ status: 'interrupted', message: 'stopped at step 7 (epoch 2)', final: { epoch: 1 } });
    const from = await findResumePoint(join(dir, 'checkpoints'));
    await lastValueFrom(trainRun({ settings, train, test, outDir: dir, folder: 'existing', from }).pipe(toArray()));
    const resumed = await readJson(dir);
    expect(resumed).toMatchObject({ status: 'completed', started: stopped.started, final: { epoch: 2, iteration: 10 } });
    expect(resumed.resumes).toEqual([{ at: expect.any(String), from: from!.name, command: [] }]);
    expect(resumed).not.toHaveProperty('message');
  });

  it('diverged, with the reason, when the loss runs away', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'rxnn-library-diverged-')), 'run');
    const wild = presetSettings(settings, { optimizer: { lr: 1e30 } });
    await expect(lastValueFrom(trainRun({ settings: wild, train, test, outDir: dir }))).rejects.toThrow(TrainingDiverged);
    expect(await readJson(dir)).toMatchObject({ status: 'diverged', message: expect.stringMatching(/^the loss/) });
  });

  it('leaves a record the command line wrote to it, and writes none with record: false', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxnn-library-existing-'));
    await createRunDirectory(dir);
    const input = { source: slice.trainImages };
    const inputs = { trainImages: input, trainLabels: input, testImages: input, testLabels: input };
    const cli = { format: 1, command: ['rxnn', 'train'], args: {}, inputs, settings: {}, rxnn: { version: '0.1.0' }, node: 'v20', started: 'now', resumes: [], status: 'running' };
    await writeFile(join(dir, 'run.json'), JSON.stringify(cli));
    expect((await readManifest(dir)).command).toEqual(['rxnn', 'train']);
    await lastValueFrom(trainRun({ settings, train, test, outDir: dir, folder: 'existing' }).pipe(toArray()));
    expect(await readJson(dir)).toEqual(cli);
    const quiet = join(await mkdtemp(join(tmpdir(), 'rxnn-library-unrecorded-')), 'run');
    await lastValueFrom(trainRun({ settings, train, test, outDir: quiet, record: false }).pipe(toArray()));
    await expect(readFile(join(quiet, 'run.json'))).rejects.toThrow(/ENOENT/);
  });
});
