import { concat, connect, defer, filter, map, merge, of, type Observable, type OperatorFunction } from 'rxjs';
import type { EpochFigures } from '../core/metric-rows.js';
import { concatEach } from '../core/concat-each.js';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import { evaluate, type Metrics } from './evaluate.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { StepResult } from './train-steps.js';

/** What an epoch achieved: one row of epochs.csv (see EPOCH_TABLE). */
export interface EpochReport extends EpochFigures {
  readonly kind: 'epoch';
}

/** The sets scored at an epoch's end, in the order they are scored. */
export type ScoredSet = 'train' | 'validation' | 'test';

/** How far the scoring of one set has got at an epoch's end (evaluateEpochs with `progress`). */
export interface ScoringProgress {
  readonly kind: 'scoring';
  readonly epoch: number;
  readonly set: ScoredSet;
  /** Samples scored so far, this batch included. */
  readonly done: number;
  /** The set's size, when known. */
  readonly total: number | undefined;
}

/**
 * The step losses of the unfinished epoch: the one place they are summed.
 * evaluateEpochs adds each step's loss and takes the mean at the epoch's
 * end; a run's ledger reads it for checkpoints taken inside an epoch.
 */
export class EpochLoss {
  constructor(
    private sum = 0,
    private steps = 0,
  ) {}

  add(loss: number): void {
    this.sum += loss;
    this.steps++;
  }

  /** The mean of the step losses so far (NaN before the first). */
  mean(): number {
    return this.sum / this.steps;
  }

  /** The sum and count so far, as a checkpoint keeps them. */
  state(): { readonly sum: number; readonly steps: number } {
    return { sum: this.sum, steps: this.steps };
  }

  /** The epoch's mean step loss; starts the next epoch. */
  close(): number {
    const mean = this.mean();
    this.sum = 0;
    this.steps = 0;
    return mean;
  }
}

export interface EvaluateEpochsOptions {
  readonly network: Network;
  readonly optimizer: Optimizer;
  /** The full training and test sets, as batches; subscribed once per epoch. */
  readonly train: Observable<Batch | EpochEnd>;
  readonly test: Observable<Batch | EpochEnd>;
  /** A validation set, scored between the two: the report then holds valLoss and valAccuracy. */
  readonly validation?: Observable<Batch | EpochEnd> | undefined;
  /** Emit a ScoringProgress before each batch scored at an epoch's end, with the sets' sizes when given. */
  readonly progress?: { readonly sizes?: Partial<Record<ScoredSet, number>> } | undefined;
  /** Seconds since the run started. */
  readonly clock: () => number;
  /** Where the step losses are summed (default: a fresh one per subscription); a run resumed inside an epoch starts it from the checkpoint's. */
  readonly epochLoss?: EpochLoss | undefined;
}

/**
 * Replaces each `EpochEnd` with an `EpochReport`: the mean step loss of the
 * epoch and the network's loss and accuracy on the full train, validation
 * (if given) and test sets, scored one after the other. Steps pass through;
 * with `progress`, ScoringProgress events come before each report.
 */
export function evaluateEpochs(options: EvaluateEpochsOptions & { readonly progress?: undefined }): OperatorFunction<StepResult | EpochEnd, StepResult | EpochReport>;
export function evaluateEpochs(options: EvaluateEpochsOptions): OperatorFunction<StepResult | EpochEnd, StepResult | EpochReport | ScoringProgress>;
export function evaluateEpochs(options: EvaluateEpochsOptions): OperatorFunction<StepResult | EpochEnd, StepResult | EpochReport | ScoringProgress> {
  const { network, optimizer, train, test, validation, clock, progress } = options;
  const sets: [ScoredSet, Observable<Batch | EpochEnd>][] = [['train', train], ...(validation === undefined ? [] : [['validation', validation] as [ScoredSet, Observable<Batch | EpochEnd>]]), ['test', test]];
  return (source) =>
    defer(() => {
      const losses = options.epochLoss ?? new EpochLoss();
      const report = (end: EpochEnd): Observable<EpochReport | ScoringProgress> => {
        const trainLoss = losses.close();
        const scores: Partial<Record<ScoredSet, Metrics>> = {};
        const scoring = sets.map(([set, batches]) =>
          scoreSet(network, batches, (metrics) => (scores[set] = metrics), progress && { epoch: end.epoch, set, total: progress.sizes?.[set] }),
        );
        const made = defer(() => {
          const onTrain = scores.train!;
          const onTest = scores.test!;
          const onValidation = scores.validation;
          const figures: EpochReport = {
            kind: 'epoch' as const,
            epoch: end.epoch,
            iteration: optimizer.steps,
            trainLoss,
            trainAccuracy: onTrain.accuracy,
            testLoss: onTest.loss,
            testAccuracy: onTest.accuracy,
            learningRate: optimizer.learningRate,
            seconds: clock(),
          };
          return of(onValidation === undefined ? figures : { ...figures, valLoss: onValidation.loss, valAccuracy: onValidation.accuracy });
        });
        return concat(...scoring, made);
      };
      return source.pipe(
        concatEach<StepResult | EpochEnd, StepResult | EpochReport | ScoringProgress>((item) => {
          if (isEpochEnd(item)) return report(item);
          losses.add(item.loss);
          return item;
        }),
      );
    });
}

/** Scores one set, handing its metrics to `done`; emits nothing but, with `progress`, a ScoringProgress before each batch. */
function scoreSet(
  network: Network,
  batches: Observable<Batch | EpochEnd>,
  done: (metrics: Metrics) => void,
  progress: Omit<ScoringProgress, 'kind' | 'done'> | undefined,
): Observable<ScoringProgress> {
  const metrics = (shared: Observable<Batch | EpochEnd>): Observable<never> =>
    evaluate(network, shared).pipe(
      map(done),
      filter(() => false),
    ) as Observable<never>;
  if (progress === undefined) return metrics(batches);
  return defer(() => {
    let scored = 0;
    return batches.pipe(
      connect((shared) =>
        merge(
          shared.pipe(
            filter((b): b is Batch => !isEpochEnd(b)),
            map((b): ScoringProgress => ({ kind: 'scoring', ...progress, done: (scored += b.rows) })),
          ),
          metrics(shared),
        ),
      ),
    );
  });
}
