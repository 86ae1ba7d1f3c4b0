import { catchError, concat, concatMap, defer, EMPTY, endWith, finalize, from, identity, map, of, skip, takeWhile, tap, throwError, type Observable, type OperatorFunction } from 'rxjs';
import { join } from 'node:path';
import { checkPositiveInteger } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { buildNetwork } from '../model/build-network.js';
import { SPARSE_MAX_DENSITY } from '../model/layers/dense.js';
import type { Batch } from '../core/batch.js';
import { TrainingDiverged } from '../model/diverged.js';
import { evaluateEpochs, type EpochReport } from '../model/evaluate-epochs.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import { createOptimizer } from '../model/optimizers/create-optimizer.js';
import { trainSteps, type StepResult } from '../model/train-steps.js';
import { EpochEnd } from '../core/epoch-end.js';
import { minibatch } from '../operators/minibatch.js';
import { normalize } from '../operators/normalize.js';
import { sampleWithReplacement } from '../operators/sample-with-replacement.js';
import { shuffle } from '../operators/shuffle.js';
import { shuffleBuffer } from '../operators/shuffle-buffer.js';
import { yieldToEventLoop } from '../operators/yield-to-event-loop.js';
import { appendCsv } from '../sinks/append-csv.js';
import { lastCsvValue, truncateCsvRows } from '../sinks/csv-file.js';
import { checkpointFileName, saveCheckpoint, writeCheckpoints, type CheckpointPosition } from '../sinks/checkpoint.js';
import type { Dataset } from '../sources/dataset.js';
import { samples, type Sample } from '../sources/samples.js';
import { checkRun } from './check-datasets.js';
import { modelSpecOf } from './model-spec-of.js';
import { checkResumePoint, recordedSettings, runMismatch } from './check-resume-point.js';
import type { ResumePoint } from './resume-point.js';
import { BEST_CHECKPOINT, createRunDirectory, EPOCH_COLUMNS, makeRunFolder, openRunDirectory, STEP_COLUMNS, type RunDirectory } from './run-directory.js';
import { lockRunFolder, type RunLock } from './run-lock.js';
import { learningRateSchedule, type TrainSettings } from './settings.js';
import { restoreTrainingState, trainingCheckpoint, type BestMetric, type BestSoFar, type RunProgress } from './training-state.js';

/** The run stopped early because its signal was aborted; `checkpoint` (a path) holds where it stopped. */
export interface RunStopped {
  readonly kind: 'stopped';
  readonly reason: unknown;
  readonly epoch: number;
  readonly iteration: number;
  readonly checkpoint: string | undefined;
}

export type RunEvent = StepResult | EpochReport | RunStopped;

export interface TrainRunOptions {
  readonly settings: TrainSettings;
  /** In memory or streamed from disk; a streamed training set needs settings.shuffleBuffer. */
  readonly train: Dataset;
  readonly test: Dataset;
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
  /** Also keep checkpoints/best.safetensors, the epoch with the best value of this metric. */
  readonly saveBest?: BestMetric | undefined;
  /** Seconds since the run started; by default measured from subscription. A resumed run adds its earlier time. */
  readonly clock?: () => number;
  readonly kernels?: Kernels;
}

/**
 * A whole training run as a stream of step results and epoch reports. Each
 * epoch is its own subscription of the pipeline
 *   samples -> shuffle | sample with replacement -> minibatch -> normalize
 *   -> train steps -> evaluate at the epoch end -> CSV and checkpoint sinks,
 * and the next epoch starts only once the previous one's files are on disk.
 * Checkpoints hold the whole training state, so a run continued `from` one
 * equals, bit for bit, the run that was never stopped. A non-finite loss or
 * parameter fails the stream with TrainingDiverged, after a checkpoint of
 * the last good state.
 */
export function trainRun(options: TrainRunOptions): Observable<RunEvent> {
  return defer(() => {
    const { settings, train, test, from: resume, signal, saveBest } = options;
    checkRun(train, test, settings);
    if (options.keepCheckpoints !== undefined) checkPositiveInteger('keepCheckpoints', options.keepCheckpoints);
    const started = performance.now();
    const ownClock = options.clock ?? (() => (performance.now() - started) / 1000);
    let earlier = resume?.state.seconds ?? 0;
    const clock = (): number => earlier + ownClock();
    const spec = modelSpecOf(settings, train.inputSize);
    const { init, seed, weightDecay } = settings;
    const network = buildNetwork(spec, { init, seed, weightDecay, kernels: options.kernels });
    const optimizer = createOptimizer({ ...settings, name: settings.optimizer }, options.kernels);
    const stepsPerEpoch = Math.ceil(train.count / settings.batchSize);
    const kernels = options.kernels ?? tsKernels;
    if (resume !== undefined) {
      checkResumePoint(resume, { spec, optimizer: settings.optimizer, stepsPerEpoch });
      const mismatch = runMismatch(resume, spec, settings, kernels);
      if (mismatch !== undefined) {
        throw new InputError(`${resume.name}: trained with ${mismatch.field} ${mismatch.checkpoint}, but this run has ${mismatch.run}`);
      }
      restoreTrainingState(network, optimizer, resume.file, resume.state, resume.name);
    }
    const learningRate = learningRateSchedule(settings, stepsPerEpoch);
    const recorded = recordedSettings(settings);
    // Batches are consumed before the next is made, so their arrays can be reused, and kept where the kernels read them in place;
    // the first dense layer starts from their non-zeros.
    const batchArrays = { reuse: true, allocator: kernels, sparse: SPARSE_MAX_DENSITY };
    // a training step is too small to share among threads; the other one prepares the next batch meanwhile
    const normalizeTrain = normalize(settings.normalization, { ...batchArrays, lookahead: true });
    // In-memory passes are synchronous: letting the event loop turn between batches keeps a signal noticed while a long evaluation runs.
    const evalBatches = (dataset: Dataset): Observable<Batch | EpochEnd> =>
      samples(dataset).pipe(
        minibatch({ size: settings.evalBatchSize }),
        dataset.storage === 'memory' ? yieldToEventLoop<Sample[] | EpochEnd>() : identity,
        normalize(settings.normalization, batchArrays),
      );

    // Made once for the run, so each epoch's evaluation reuses the same batch arrays.
    const trainScoring = evalBatches(train);
    const testScoring = evalBatches(test);
    let best: BestSoFar | undefined = resume?.state.best;
    let epochsDone = resume?.state.csvRows.epochs ?? 0;
    let epochLoss = resume?.state.epochLoss ?? { sum: 0, steps: 0 };
    let lastSaved = resume && { name: resume.name, iteration: resume.state.iteration };
    const progress = (position: CheckpointPosition, report?: EpochReport): RunProgress => ({
      position,
      iteration: optimizer.steps,
      csvRows: { epochs: epochsDone, steps: optimizer.steps },
      epochLoss,
      seconds: position.step === undefined ? undefined : clock(),
      best,
      metrics: report && { train_loss: report.trainLoss, train_acc: report.trainAccuracy, test_loss: report.testLoss, test_acc: report.testAccuracy },
      settings: recorded,
    });
    const stateAt = (position: CheckpointPosition, report?: EpochReport) =>
      trainingCheckpoint(network, optimizer, spec, settings.normalization, progress(position, report), kernels);

    const runEpoch = (run: RunDirectory, number: number, stepsDone: number): Observable<RunEvent> => {
      const stepsBefore = optimizer.steps - stepsDone;
      let closed = false;
      let improved = false;
      /** A checkpoint of the unfinished epoch, unless nothing changed since the last one. */
      const saveInside = async (): Promise<string> => {
        if (lastSaved?.iteration === optimizer.steps) return join(run.checkpoints, lastSaved.name);
        const position = { epoch: number, step: optimizer.steps - stepsBefore };
        const name = await saveCheckpoint(run.checkpoints, position, stateAt(position), { keep: options.keepCheckpoints });
        lastSaved = { name, iteration: optimizer.steps };
        return join(run.checkpoints, name);
      };
      const batches = samples(train).pipe(
        endWith(new EpochEnd(number)),
        sampleOrder(settings, number),
        minibatch({ size: settings.batchSize }),
        stepsDone > 0 ? skip<Sample[] | EpochEnd>(stepsDone) : identity,
        train.storage === 'memory' ? yieldToEventLoop<Sample[] | EpochEnd>() : identity,
        normalizeTrain,
        // after normalize, which holds the next batch while this one trains: a stop lets go of it untrained
        takeWhile(() => signal?.aborted !== true),
      );
      const epoch = batches.pipe(
        trainSteps(network, optimizer, { firstEpoch: number, learningRate, maxLoss: settings.maxLoss || Infinity }),
        tap((e) => {
          if (e instanceof EpochEnd) return;
          epochLoss = { sum: epochLoss.sum + e.loss, steps: epochLoss.steps + 1 };
        }),
        evaluateEpochs({
          network,
          optimizer,
          train: trainScoring,
          test: testScoring,
          clock,
          carriedLoss: stepsDone > 0 ? resume?.state.epochLoss : undefined,
        }),
        tap((e) => {
          if (e.kind !== 'epoch') return;
          closed = true;
          epochsDone++;
          epochLoss = { sum: 0, steps: 0 };
          improved = saveBest !== undefined && isBetter(saveBest, e, best);
          if (improved && saveBest !== undefined) best = { metric: saveBest, value: metricOf(saveBest, e), epoch: e.epoch };
        }),
        appendCsv<RunEvent>({
          path: run.stepsCsv,
          columns: STEP_COLUMNS,
          row: (e) => (e.kind === 'step' ? { epoch: e.epoch, iteration: e.iteration, loss: e.loss } : undefined),
          flushAt: (e) => e.kind === 'epoch',
        }),
        appendCsv<RunEvent>({
          path: run.epochsCsv,
          columns: EPOCH_COLUMNS,
          row: (e) => (e.kind === 'epoch' ? epochRow(e) : undefined),
          flushAt: (e) => e.kind === 'epoch',
        }),
        writeCheckpoints<RunEvent>({
          dir: run.checkpoints,
          keep: options.keepCheckpoints,
          checkpointOf: (e) =>
            e.kind === 'epoch' ? { epoch: e.epoch, checkpoint: stateAt({ epoch: e.epoch }, e), copies: improved ? [BEST_CHECKPOINT] : [] } : undefined,
        }),
        tap((e) => {
          if (e.kind === 'epoch') lastSaved = { name: checkpointFileName(e.epoch), iteration: e.iteration };
        }),
        catchError((error: unknown) =>
          error instanceof TrainingDiverged
            ? from(saveInside()).pipe(concatMap((path) => throwError(() => error.withCheckpoint(path))))
            : throwError(() => error),
        ),
      );
      const next = defer((): Observable<RunEvent> => {
        const stopped = (checkpoint: string | undefined): RunStopped => ({
          kind: 'stopped',
          reason: signal?.reason,
          epoch: number,
          iteration: optimizer.steps,
          checkpoint,
        });
        if (!closed) return from(saveInside()).pipe(map(stopped));
        if (number >= settings.epochs) return EMPTY;
        if (signal?.aborted === true) return of(stopped(lastSaved && join(run.checkpoints, lastSaved.name)));
        return runEpoch(run, number + 1, 0);
      });
      return concat(epoch, next);
    };

    const position = resume?.state.position;
    const firstEpoch = position === undefined ? 1 : position.step === undefined ? position.epoch + 1 : position.epoch;
    let release = (): void => undefined;
    return from(openRun(options)).pipe(
      tap((opened) => {
        release = opened.release;
        if (resume?.state.seconds === undefined && opened.lastSeconds !== undefined) earlier = opened.lastSeconds;
      }),
      map((opened) => opened.run),
      concatMap((run) => (firstEpoch > settings.epochs ? EMPTY : runEpoch(run, firstEpoch, position?.step ?? 0))),
      finalize(() => release()),
    );
  });
}

interface OpenedRun {
  readonly run: RunDirectory;
  /** For a continued run, the `seconds` of the last epochs.csv row it keeps. */
  readonly lastSeconds?: number | undefined;
  /** Lets go of the folder's lock if the run took it. */
  readonly release: () => void;
}

/** The run folder, locked and made ready. */
async function openRun(options: TrainRunOptions): Promise<OpenedRun> {
  const fresh = (options.folder ?? 'new') === 'new';
  if (fresh && options.from !== undefined) throw new InputError('a run continued from a checkpoint needs its existing folder');
  if (fresh) await makeRunFolder(options.outDir);
  const lock = options.lock ?? (await lockRunFolder(options.outDir));
  const release = options.lock === undefined ? lock.release : (): void => undefined;
  try {
    if (fresh) return { run: await createRunDirectory(options.outDir), release };
    const run = await openRunDirectory(options.outDir);
    const rows = options.from?.state.csvRows ?? { epochs: 0, steps: 0 };
    await truncateCsvRows(run.epochsCsv, rows.epochs);
    await truncateCsvRows(run.stepsCsv, rows.steps);
    return { run, lastSeconds: await lastCsvValue(run.epochsCsv, 'seconds'), release };
  } catch (error) {
    release();
    throw error;
  }
}

function metricOf(metric: BestMetric, e: EpochReport): number {
  return metric === 'test_acc' ? e.testAccuracy : e.testLoss;
}

function isBetter(metric: BestMetric, e: EpochReport, best: BestSoFar | undefined): boolean {
  if (best === undefined) return true;
  const value = metricOf(metric, e);
  return metric === 'test_acc' ? value > best.value : value < best.value;
}

function sampleOrder(settings: TrainSettings, epoch: number): OperatorFunction<Sample | EpochEnd, Sample | EpochEnd> {
  const { seed } = settings;
  if (settings.shuffleBuffer !== undefined) return shuffleBuffer({ size: settings.shuffleBuffer, seed, firstEpoch: epoch });
  return settings.sampler === 'permutation' ? shuffle({ seed }) : sampleWithReplacement({ seed });
}

function epochRow(e: EpochReport): Record<(typeof EPOCH_COLUMNS)[number], number> {
  return {
    epoch: e.epoch,
    iteration: e.iteration,
    train_loss: e.trainLoss,
    train_acc: e.trainAccuracy,
    test_loss: e.testLoss,
    test_acc: e.testAccuracy,
    lr: e.learningRate,
    seconds: e.seconds,
  };
}
