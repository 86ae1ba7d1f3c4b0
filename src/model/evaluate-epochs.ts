import { defer, forkJoin, map, type Observable, type OperatorFunction } from 'rxjs';
import { concatEach } from '../core/concat-each.js';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import { evaluate } from './evaluate.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { StepResult } from './train-steps.js';

/** What an epoch achieved: one row of epochs.csv. */
export interface EpochReport {
  readonly kind: 'epoch';
  readonly epoch: number;
  readonly iteration: number;
  /** Mean of the epoch's step losses. */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly learningRate: number;
  /** Wall time since the run started. */
  readonly seconds: number;
}

export interface EvaluateEpochsOptions {
  readonly network: Network;
  readonly optimizer: Optimizer;
  /** The full training and test sets, as batches; subscribed once per epoch. */
  readonly train: Observable<Batch | EpochEnd>;
  readonly test: Observable<Batch | EpochEnd>;
  /** Seconds since the run started. */
  readonly clock: () => number;
  /** Step losses of the first epoch made before this stream started (a run resumed inside an epoch). */
  readonly carriedLoss?: { readonly sum: number; readonly steps: number } | undefined;
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
      let lossSum = options.carriedLoss?.sum ?? 0;
      let steps = options.carriedLoss?.steps ?? 0;
      const report = (end: EpochEnd): Observable<EpochReport> => {
        const trainLoss = lossSum / steps;
        lossSum = 0;
        steps = 0;
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
          lossSum += item.loss;
          steps++;
          return item;
        }),
      );
    });
}
