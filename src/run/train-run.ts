import { catchError, concat, concatMap, defer, EMPTY, finalize, from, identity, map, of, skip, takeWhile, throwError, type Observable, type OperatorFunction } from 'rxjs';
import { join } from 'node:path';
import { checkPositiveInteger } from '../core/checks.js';
import { EPOCH_TABLE, STEP_TABLE, type EpochColumn } from '../core/metric-rows.js';
import { InputError } from '../core/errors.js';
import type { Batch } from '../core/batch.js';
import { TrainingDiverged } from '../model/diverged.js';
import { evaluateEpochs } from '../model/evaluate-epochs.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { SPARSE_MAX_DENSITY } from '../model/layers/dense.js';
import { trainSteps } from '../model/train-steps.js';
import type { EpochEnd } from '../core/epoch-end.js';
import { augment } from '../operators/augment.js';
import { minibatch } from '../operators/minibatch.js';
import { normalize } from '../operators/normalize.js';
import { repeatEpochs } from '../operators/repeat-epochs.js';
import { sampleWithReplacement } from '../operators/sample-with-replacement.js';
import { shuffle } from '../operators/shuffle.js';
import { shuffleBuffer } from '../operators/shuffle-buffer.js';
import { yieldToEventLoop } from '../operators/yield-to-event-loop.js';
import { lastCsvValue } from '../sinks/csv-file.js';
import type { Dataset } from '../sources/dataset.js';
import { samples, type Sample } from '../sources/samples.js';
import { checkRun } from './check-datasets.js';
import { recordedSettings } from './check-resume-point.js';
import type { ResumePoint } from './resume-point.js';
import { runCheckpoints, type RunCheckpoints } from './run-checkpoints.js';
import { CHECKPOINTS_DIR, createRunDirectory, makeRunFolder, openRunDirectory } from './run-directory.js';
import type { RunEarlyStopped, RunEvent, RunStopped } from './run-event.js';
import { runData, runRules, untilStopped, type RunData, type RunSamples } from './run-data.js';
import { RunLedger } from './run-ledger.js';
import { lockRunFolder, type RunLock } from './run-lock.js';
import { recordedRun } from './run-record.js';
import { runModel, type RunModel } from './run-model.js';
import { metricCsvSink, runSinks, trainingPasses, type RunSink } from './run-sinks.js';
import { learningRateSchedule, type DataSettings, type TrainSettings } from './settings.js';
import type { BestMetric } from './training-state.js';

export type { RunEarlyStopped, RunEvent, RunStep, RunStopped } from './run-event.js';

export interface TrainRunOptions {
  readonly settings: TrainSettings;
  /** In memory or streamed from disk; a streamed training set needs settings.data.shuffleBuffer. */
  readonly train: Dataset;
  readonly test: Dataset;
  /** A separate validation set (not with settings.validation, which holds out part of `train`). */
  readonly validation?: Dataset | undefined;
  /** The run folder: epochs.csv, steps.csv, checkpoints/. */
  readonly outDir: string;
  /**
   * 'new' (default): create the run folder, refusing one that holds a run.
   * 'existing': continue in a folder made earlier (createRunDirectory), its
   * CSVs cut back to the rows of `from` (or to their headers).
   */
  readonly folder?: 'new' | 'existing';
  /** The folder's lock, when the caller holds it (lockRunFolder); otherwise the run takes it, and lets it go when its stream ends. */
  readonly lock?: RunLock | undefined;
  /** Continue from this checkpoint's training state; the result is the run that was never interrupted. */
  readonly from?: ResumePoint | undefined;
  /** Stop at the next step boundary once aborted, writing a checkpoint of the unfinished epoch (a RunStopped event ends the stream). */
  readonly signal?: AbortSignal | undefined;
  /** Keep only the newest N checkpoint files (default: all). */
  readonly keepCheckpoints?: number | undefined;
  /** Also keep checkpoints/best.safetensors, the epoch with the best value of this metric (val_acc or val_loss: the test metrics leak the test set into the choice). */
  readonly saveBest?: BestMetric | undefined;
  /** More sinks, after the CSVs and before the checkpoint: each is awaited at every epoch's end, and resumed exactly if it counts its records. */
  readonly sinks?: readonly RunSink[] | undefined;
  /** Seconds since the run started; by default measured from subscription. A resumed run adds its earlier time. */
  readonly clock?: () => number;
  readonly kernels?: Kernels;
  /**
   * Keep DIR/run.json (settings, status, final metrics), so `rxnn runs` lists the run. By default a run records itself
   * in a folder it makes, and continues a record a run made in code left in an existing one; a record the command
   * line wrote is left to it (`rxnn train` keeps its own). true: always; false: never.
   */
  readonly record?: boolean | undefined;
}

/** Where a run starts: the epoch, the steps of it already made, and the updates made in all. */
interface RunStart {
  readonly epoch: number;
  readonly stepsDone: number;
  readonly iteration: number;
}

/** A run's parts, made once it is subscribed. */
interface RunParts {
  readonly options: TrainRunOptions;
  readonly model: RunModel;
  readonly data: RunData;
  readonly start: RunStart;
  readonly ledger: RunLedger;
  readonly sinks: readonly RunSink[];
  readonly checkpoints: RunCheckpoints;
  readonly clock: () => number;
}

/**
 * A whole training run as a stream of step results and epoch reports: the
 * pipeline the README teaches,
 *   samples -> repeatEpochs -> shuffle | sample with replacement | shuffle
 *   buffer -> augment (training images, if asked for) -> minibatch -> normalize -> trainSteps -> evaluateEpochs -> runSinks
 * (steps.csv, epochs.csv, any `sinks`, checkpoints), each epoch's pass
 * subscribed once the previous epoch's files are on disk. Checkpoints hold
 * the whole training state, so a run continued `from` one equals, bit for
 * bit, the run that was never stopped. A non-finite loss or parameter fails
 * the stream with TrainingDiverged, after a checkpoint of the last good state.
 */
export function trainRun(options: TrainRunOptions): Observable<RunEvent> {
  return defer(() => {
    const { settings, train, test, from: resume } = options;
    checkRun(train, test, settings);
    if (options.keepCheckpoints !== undefined) checkPositiveInteger('keepCheckpoints', options.keepCheckpoints);
    const started = performance.now();
    const ownClock = options.clock ?? (() => (performance.now() - started) / 1000);
    let earlier = resume?.state.seconds ?? 0;
    const clock = (): number => earlier + ownClock();
    const data = runData(train, options.validation, settings);
    const rules = runRules(settings, options.saveBest, data.validation !== undefined);
    const model = runModel(settings, { count: data.train.count, inputSize: train.inputSize, shape: train.shape }, resume, options.kernels);
    const start = runStart(resume);
    const sinks = [
      metricCsvSink(options.outDir, STEP_TABLE, (e) => (e.kind === 'step' ? e : undefined)),
      metricCsvSink(options.outDir, EPOCH_TABLE, (e) => (e.kind === 'epoch' ? e : undefined)),
      ...(options.sinks ?? []),
    ];
    const ledger = new RunLedger(sinks.flatMap((s) => s.counted ?? []), start, options.saveBest, resume, rules);
    const checkpointsDir = join(options.outDir, CHECKPOINTS_DIR);
    const { normalization } = settings.data;
    const checkpoints = runCheckpoints({ dir: checkpointsDir, keep: options.keepCheckpoints, model, ledger, normalization, settings: recordedSettings(settings), clock });
    const parts: RunParts = { options, model, data, start, ledger, sinks, checkpoints, clock };
    let release = (): void => undefined;
    return from(openRun(options, sinks)).pipe(
      concatMap((opened) => {
        release = opened.release;
        if (resume?.state.seconds === undefined && opened.lastSeconds !== undefined) earlier = opened.lastSeconds;
        const events = start.epoch > settings.run.epochs ? EMPTY : ledger.stoppingEarly ? earlyStopped(parts) : runEpochs(parts);
        return options.record === false ? events : recordedRun(options, events);
      }),
      finalize(() => release()),
    );
  });
}

/** The run's epochs from its start, then (if it stopped on its signal) where it stopped. */
function runEpochs(parts: RunParts): Observable<RunEvent> {
  const { options, model, data, start, ledger, checkpoints, clock } = parts;
  const { settings, test, signal } = options;
  const { network, optimizer, kernels, stepsPerEpoch } = model;
  // Batches are consumed before the next is made, so their arrays can be reused, and kept where the kernels read them in place;
  // a first dense layer starts from their non-zeros (finding them for a convolution would only keep the other thread busy).
  const batchArrays = { reuse: true, allocator: kernels, sparse: network.takesNonZeros ? SPARSE_MAX_DENSITY : undefined };
  // In-memory passes are synchronous: letting the event loop turn between batches keeps a signal noticed while a long evaluation runs.
  const inTurns = (set: RunSamples): OperatorFunction<Sample[] | EpochEnd, Sample[] | EpochEnd> => (set.storage === 'memory' ? yieldToEventLoop() : identity);
  const scoring = (set: RunSamples): Observable<Batch | EpochEnd> =>
    set.samples.pipe(minibatch({ size: settings.data.evalBatchSize }), inTurns(set), normalize(settings.data.normalization, batchArrays));
  const testSamples: RunSamples = { samples: samples(test), count: test.count, storage: test.storage };
  const train = data.train;
  const batches = trainingPasses(untilStopped(train.samples, () => ledger.stoppingEarly), ledger, start.epoch, signal).pipe(
    repeatEpochs(settings.run.epochs - start.epoch + 1, { first: start.epoch }),
    sampleOrder(settings.data, settings.run.seed, start.epoch),
    settings.data.augment === undefined ? identity : augment({ ...settings.data.augment, seed: settings.run.seed, firstEpoch: start.epoch }),
    minibatch({ size: settings.data.batchSize }),
    start.stepsDone > 0 ? skip(start.stepsDone) : identity,
    inTurns(train),
    // a training step is too small to share among threads; the other one prepares the next batch meanwhile
    normalize(settings.data.normalization, { ...batchArrays, lookahead: true }),
    // after normalize, which holds the next batch while this one trains: a stop lets go of it untrained
    takeWhile(() => signal?.aborted !== true && !ledger.stoppingEarly),
  );
  const learningRate = learningRateSchedule(settings, stepsPerEpoch, ledger.plateau);
  const validation = data.validation && scoring(data.validation);
  const sizes = { train: train.count, validation: data.validation?.count, test: test.count };
  const events = batches.pipe(
    trainSteps(network, optimizer, { firstEpoch: start.epoch, learningRate, maxLoss: settings.run.maxLoss || Infinity }),
    evaluateEpochs({ network, optimizer, train: scoring(train), validation, test: scoring(testSamples), clock, epochLoss: ledger.epochLoss, progress: { sizes } }),
    map((e): RunEvent => (e.kind === 'step' ? { ...e, epochLoss: ledger.epochLoss.mean() } : e)),
    runSinks(ledger, [...parts.sinks, checkpoints.sink]),
    catchError((error: unknown) =>
      error instanceof TrainingDiverged
        ? from(checkpoints.saveInside()).pipe(concatMap((path) => throwError(() => error.withCheckpoint(path))))
        : throwError(() => error),
    ),
  );
  const ending = defer((): Observable<RunStopped | RunEarlyStopped> => {
    if (ledger.closed && ledger.epoch > settings.run.epochs) return EMPTY;
    if (ledger.closed && ledger.stoppingEarly) return earlyStopped(parts);
    const stopped = (checkpoint: string): RunStopped => ({ kind: 'stopped', reason: signal?.reason, epoch: ledger.stoppedEpoch, iteration: optimizer.steps, checkpoint });
    return from(checkpoints.saveInside()).pipe(map(stopped));
  });
  return concat(events, ending);
}

/** The event ending a run that early stopping stopped (after its last epoch's files are written). */
function earlyStopped({ ledger, model }: RunParts): Observable<RunEarlyStopped> {
  const stopper = ledger.earlyStop!;
  const best = stopper.state()!;
  return of({ kind: 'early-stopped', epoch: ledger.epoch - 1, iteration: model.optimizer.steps, best: { metric: stopper.rule.metric, ...best }, patience: stopper.rule.patience });
}

function runStart(resume: ResumePoint | undefined): RunStart {
  const position = resume?.state.position;
  const iteration = resume?.state.iteration ?? 0;
  if (position === undefined) return { epoch: 1, stepsDone: 0, iteration };
  return position.step === undefined ? { epoch: position.epoch + 1, stepsDone: 0, iteration } : { epoch: position.epoch, stepsDone: position.step, iteration };
}

interface OpenedRun {
  /** For a continued run, the `seconds` of the last epochs.csv row it keeps. */
  readonly lastSeconds?: number | undefined;
  /** Lets go of the folder's lock if the run took it. */
  readonly release: () => void;
}

/** The run folder, locked and made ready: every counted sink's file cut back to the records of `from`. */
async function openRun(options: TrainRunOptions, sinks: readonly RunSink[]): Promise<OpenedRun> {
  const fresh = (options.folder ?? 'new') === 'new';
  if (fresh && options.from !== undefined) throw new InputError('a run continued from a checkpoint needs its existing folder');
  if (fresh) await makeRunFolder(options.outDir);
  const lock = options.lock ?? (await lockRunFolder(options.outDir));
  const release = options.lock === undefined ? lock.release : (): void => undefined;
  try {
    await (fresh ? createRunDirectory(options.outDir) : openRunDirectory(options.outDir));
    const rows = options.from?.state.csvRows;
    const counted = sinks.flatMap((s) => s.counted ?? []).sort((a, b) => a.name.localeCompare(b.name));
    for (const sink of counted) await sink.cutBack(rows?.[sink.name] ?? 0);
    const seconds: EpochColumn = 'seconds';
    return { lastSeconds: fresh ? undefined : await lastCsvValue(join(options.outDir, EPOCH_TABLE.file), seconds), release };
  } catch (error) {
    release();
    throw error;
  }
}

function sampleOrder(data: DataSettings, seed: number, epoch: number): OperatorFunction<Sample | EpochEnd, Sample | EpochEnd> {
  if (data.shuffleBuffer !== undefined) return shuffleBuffer({ size: data.shuffleBuffer, seed, firstEpoch: epoch });
  return data.sampler === 'permutation' ? shuffle({ seed }) : sampleWithReplacement({ seed });
}
