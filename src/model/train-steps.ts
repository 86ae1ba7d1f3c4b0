import { defer, map, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../operators/epoch-end.js';
import type { Batch } from './batch.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';

export interface StepResult {
  readonly kind: 'step';
  readonly epoch: number;
  /** Updates made so far, this one included. */
  readonly iteration: number;
  /** Mean loss of the batch before the update. */
  readonly loss: number;
  readonly rows: number;
  readonly learningRate: number;
}

/**
 * The model operator: for each batch, forward, backward and one optimizer
 * update of `network`; emits the step's result. Epoch markers pass through
 * and advance the epoch number, which starts at `firstEpoch` (default 1).
 * With `learningRate`, the optimizer's rate is set before each update from
 * the number of updates made so far (a schedule).
 */
export function trainSteps(
  network: Network,
  optimizer: Optimizer,
  options: { firstEpoch?: number; learningRate?: (step: number) => number } = {},
): OperatorFunction<Batch | EpochEnd, StepResult | EpochEnd> {
  return (source) =>
    defer(() => {
      let epoch = options.firstEpoch ?? 1;
      return source.pipe(
        map((item): StepResult | EpochEnd => {
          if (isEpochEnd(item)) {
            epoch = item.epoch + 1;
            return item;
          }
          if (options.learningRate !== undefined) optimizer.learningRate = options.learningRate(optimizer.steps);
          const learningRate = optimizer.learningRate;
          const loss = network.computeGradients(item);
          optimizer.update(network.parameters);
          return { kind: 'step', epoch, iteration: optimizer.steps, loss, rows: item.rows, learningRate };
        }),
      );
    });
}
