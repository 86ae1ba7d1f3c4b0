import { defer, forkJoin, map, type Observable, type OperatorFunction } from 'rxjs';
import type { EpochFigures } from '../core/metric-rows.js';
import { concatEach } from '../core/concat-each.js';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import { evaluate } from './evaluate.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { StepResult } from './train-steps.js';

/** What an epoch achieved: one row of epochs.csv (see EPOCH_TABLE). */
export interface EpochReport extends EpochFigures {
  readonly kind: 'epoch';
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
  /** Seconds since the run started. */
  readonly clock: () => number;
  /** Where the step losses are summed (default: a fresh one per subscription); a run resumed inside an epoch starts it from the checkpoint's. */
  readonly epochLoss?: EpochLoss | undefined;
}

/**
 * Replaces each `EpochEnd` with an `EpochReport`: the mean step loss of the
 * epoch and the network's loss and accuracy on the full train and test sets.
 * Steps pass through.
 */
export function evaluateEpochs(
  options: EvaluateEpochsOptions,
): OperatorFunction<StepResult | EpochEnd, StepResult | EpochReport> {
  const { network, optimizer, train, test, clock } = options;
  return (source) =>
    defer(() => {
      const losses = options.epochLoss ?? new EpochLoss();
      const report = (end: EpochEnd): Observable<EpochReport> => {
        const trainLoss = losses.close();
        return forkJoin([evaluate(network, train), evaluate(network, test)]).pipe(
          map(([onTrain, onTest]) => ({
            kind: 'epoch' as const,
            epoch: end.epoch,
            iteration: optimizer.steps,
            trainLoss,
            trainAccuracy: onTrain.accuracy,
            testLoss: onTest.loss,
            testAccuracy: onTest.accuracy,
            learningRate: optimizer.learningRate,
            seconds: clock(),
          })),
        );
      };
      return source.pipe(
        concatEach<StepResult | EpochEnd, StepResult | EpochReport>((item) => {
          if (isEpochEnd(item)) return report(item);
          losses.add(item.loss);
          return item;
        }),
      );
    });
}
