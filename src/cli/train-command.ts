import { concatMap, defer, lastValueFrom, of, tap } from 'rxjs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { EpochReport } from '../model/evaluate-epochs.js';
import { TrainingDiverged } from '../model/diverged.js';
import { findResumePoint, type ResumePoint } from '../run/resume-point.js';
import { CHECKPOINTS_DIR, claimNewFolder, createRunDirectory, EPOCHS_CSV } from '../run/run-directory.js';
import { readManifest, writeManifest, type RunManifest } from '../run/run-manifest.js';
import { checkTrainSettings, type TrainSettings } from '../run/settings.js';
import { trainRun, type RunStopped } from '../run/train-run.js';
import { normalizationFor } from '../run/input-normalization.js';
import { writePlots } from '../report/write-plots.js';
import { lastCsvValue } from '../sinks/csv-file.js';
import { loadDataset, type SampleSet } from '../sources/dataset.js';
import { bundledMnist } from '../sources/mnist.js';
import { gitCommit, RXNN_VERSION } from './build-info.js';
import { createDownloadProgress } from './download-progress.js';
import { describeTraining, modelOptions, optimizerOptions } from './model-options.js';
import { createProgress } from './progress.js';
import { trainBackendOption } from './backend-option.js';
import { kernelsFor } from '../model/kernels/backends.js';
import { absoluteSource, recordArgs, resumedArgs } from './resume-args.js';
import { sourceOptions, sourceOptionsFrom } from './source-options.js';
import { SIGNAL_EXIT, stopOnSignals, type StopSignal } from './stop-signals.js';
import { dataOptions, DEFAULT_SHUFFLE_BUFFER, L, runOptions, trainingOptions, type TrainArgs } from './train-options.js';
import { checkEpochs, checkSameInputs, finalOf, requestedSettings, writeSummary } from './train-record.js';
import { CommandFailed } from './usage-error.js';

export type { TrainArgs } from './train-options.js';

export function trainCommand(rawArgs: readonly string[]): CommandModule<object, TrainArgs> {
  return {
    command: 'train',
    describe: "train a network; with no flags, the lesson's 784-50-10 experiment on the bundled MNIST",
    builder: (y) =>
      sourceOptions(trainBackendOption(runOptions(trainingOptions(optimizerOptions(modelOptions(dataOptions(y), L), L))))) as unknown as Argv<TrainArgs>,
    handler: (args) => train(args, rawArgs),
  };
}

async function train(typed: TrainArgs, rawArgs: readonly string[]): Promise<void> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const command = ['rxnn', ...rawArgs];
  const manifest = typed.resume === undefined ? undefined : await readManifest(typed.resume);
  const args = manifest === undefined ? typed : resumedArgs(manifest, typed, rawArgs, typed.resume!);
  const requested = requestedSettings(args);
  checkTrainSettings(requested); // trainRun checks again; this one fails before any data is read
  const bundled = bundledMnist();
  const files = {
    train: { images: args.trainImages ?? bundled.train.images, labels: args.trainLabels ?? bundled.train.labels },
    test: { images: args.testImages ?? bundled.test.images, labels: args.testLabels ?? bundled.test.labels },
  };
  const inputs = [files.train.images, files.train.labels, files.test.images, files.test.labels];
  const source = sourceOptionsFrom(args, inputs, typed.quiet === true ? () => undefined : createDownloadProgress(process.stderr));
  // Made before the data is read, so the images can be loaded where the kernels read them in place.
  const kernels = kernelsFor(args.backend, { threads: args.threads, simd: args.simd });
  const loading = { classes: args.classes, stream: args.stream, memoryBudget: args.memoryBudget, source, allocate: kernels.allocateBytes };
  const [train, test] = await Promise.all([loadDataset(files.train, loading), loadDataset(files.test, loading)]);
  const classes = args.classes ?? Math.max(train.classes, test.classes);
  const shuffleBuffer = args.shuffleBuffer ?? (train.storage === 'stream' ? DEFAULT_SHUFFLE_BUFFER : undefined);
  const settings: TrainSettings = { ...requested, classes, shuffleBuffer, normalization: normalizationFor(train.elementType) };
  checkTrainSettings(settings);
  const runInputs = {
    trainImages: { source: absoluteSource(files.train.images), sha256: train.digests?.images },
    trainLabels: { source: absoluteSource(files.train.labels), sha256: train.digests?.labels },
    testImages: { source: absoluteSource(files.test.images), sha256: test.digests?.images },
    testLabels: { source: absoluteSource(files.test.labels), sha256: test.digests?.labels },
  };

  let outDir: string;
  let record: RunManifest;
  let from: ResumePoint | undefined;
  if (manifest === undefined) {
    outDir = args.out ?? (await claimNewFolder(defaultRunFolder(new Date())));
    await createRunDirectory(outDir);
    const now = new Date().toISOString();
    record = {
      format: 1,
      command,
      args: recordArgs({ ...args, simd: kernels.simd }),
      inputs: runInputs,
      settings,
      rxnn: { version: RXNN_VERSION, commit: await gitCommit() },
      node: process.version,
      started: now,
      resumes: [],
      status: 'running',
    };
  } else {
    outDir = typed.resume!;
    checkSameInputs(manifest, runInputs);
    from = await findResumePoint(join(outDir, CHECKPOINTS_DIR), (name, problem) =>
      process.stderr.write(`rxnn: skipping checkpoint ${name}: ${problem}\n`),
    );
    checkEpochs(from, settings, outDir);
    record = {
      ...manifest,
      args: { ...manifest.args, epochs: settings.epochs },
      settings,
      resumes: [...manifest.resumes, { at: new Date().toISOString(), from: from?.name, command }],
      status: 'running',
      finished: undefined,
      message: undefined,
    };
  }
  await writeManifest(outDir, record);

  const stepsPerEpoch = Math.ceil(train.count / settings.batchSize);
  const widths = [train.inputSize, ...settings.hidden, settings.classes].join('-');
  const where = from === undefined ? (manifest === undefined ? '' : ' from the start') : ` from ${from.name}`;
  const banner =
    `rxnn: ${manifest === undefined ? 'training' : 'resuming'} ${widths} (${describeTraining(settings)}) on ${train.count} images (test ${test.count})` +
    `${storage(train, shuffleBuffer)}, ${plural(settings.epochs, 'epoch')} of ${plural(stepsPerEpoch, 'step')}, in ${outDir}${where}; kernels: ${kernels.description}`;
  const startIteration = from === undefined ? 0 : from.state.iteration - (from.state.position.step ?? 0);
  const progress = typed.quiet === true ? () => undefined : createProgress({ stream: process.stderr, banner, epochs: settings.epochs, stepsPerEpoch, startIteration });
  const redraw = typed.plot === true ? (): Promise<unknown> => writePlots([outDir]) : undefined;
  const stop = stopOnSignals(process.stderr);
  const finish = (update: Partial<RunManifest>): Promise<void> =>
    writeManifest(outDir, { ...record, ...update, finished: new Date().toISOString() });
  let last: EpochReport | undefined;
  let stopped: RunStopped | undefined;
  try {
    await lastValueFrom(
      trainRun({
        settings,
        train,
        test,
        outDir,
        folder: 'existing',
        from,
        signal: stop.signal,
        keepCheckpoints: args.keepCheckpoints,
        saveBest: args.saveBest,
        clock: seconds,
        kernels,
      }).pipe(
        tap(progress),
        concatMap((event) => (redraw !== undefined && event.kind !== 'step' ? defer(() => redraw().then(() => event)) : of(event))),
        tap((event) => {
          if (event.kind === 'epoch') last = event;
          if (event.kind === 'stopped') stopped = event;
        }),
      ),
      { defaultValue: undefined },
    );
  } catch (error) {
    if (error instanceof TrainingDiverged) {
      const message =
        `${error.message}; the state before that step is in ${error.facts.checkpoint ?? 'no checkpoint'}. ` +
        `Try a lower learning rate (--lr ${Number((settings.lr / 10).toPrecision(3))} or below)`;
      await finish({ status: 'diverged', final: finalOf(last, record), message });
      writeSummary({ epoch: error.facts.epoch, step: error.facts.step, checkpoint: error.facts.checkpoint, out: outDir, status: 'diverged' });
      throw new CommandFailed(message, 3);
    }
    await finish({ status: 'failed', final: finalOf(last, record), message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    stop.dispose();
    kernels.close();
  }
  if (stopped !== undefined) {
    const signal = stopped.reason as StopSignal;
    const message =
      `stopped by ${signal} at step ${stopped.iteration} (epoch ${stopped.epoch}); ` +
      `${stopped.checkpoint === undefined ? 'no step was made' : `saved ${stopped.checkpoint}`}; continue with: rxnn train --resume ${outDir}`;
    await finish({ status: 'interrupted', final: finalOf(last, record), message });
    writeSummary({ epoch: stopped.epoch, iterations: stopped.iteration, checkpoint: stopped.checkpoint, out: outDir, status: 'interrupted' });
    throw new CommandFailed(message, SIGNAL_EXIT[signal] ?? 130);
  }
  const final = finalOf(last, record, from, await lastCsvValue(join(outDir, EPOCHS_CSV), 'seconds'));
  if (last === undefined) process.stderr.write(`rxnn: ${outDir} has already finished its ${settings.epochs} epochs; give a larger --epochs to go on\n`);
  await finish({ status: 'completed', final });
  writeSummary({
    epochs: final?.epoch,
    iterations: final?.iteration,
    train_acc: final?.train_acc,
    test_acc: final?.test_acc,
    seconds: Number(seconds().toFixed(3)),
    out: outDir,
    status: 'completed',
  });
}

/** The run's flags over its preset: the settings before any data is read. */
function storage(train: SampleSet, shuffleBuffer: number | undefined): string {
  const buffer = shuffleBuffer === undefined ? '' : `, shuffle buffer ${shuffleBuffer}`;
  return train.storage === 'stream' ? ` streamed from disk${buffer}` : buffer;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** runs/2026-11-28T03-04-05Z: sortable, and valid as a file name everywhere. */
export function defaultRunFolder(now: Date): string {
  return `runs/${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`;
}
