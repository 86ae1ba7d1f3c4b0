import { defer, map, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import { TrainingDiverged } from './diverged.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { StepGuard } from './step-guard.js';

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

export interface TrainStepsOptions {
  /** The epoch number of the first batches (default 1). */
  readonly firstEpoch?: number;
  /** A schedule: the rate of the update made after `step` updates. */
  readonly learningRate?: (step: number) => number;
  /**
   * Check every step for a non-finite loss or parameter; on one, put the
   * network and optimizer back to their state before that step and fail
   * with TrainingDiverged (default true).
   */
  readonly guard?: boolean;
  /** With the guard: a batch loss above this also counts as divergence (default: only non-finite). */
  readonly maxLoss?: number;
}

/**
 * The model operator: for each batch, forward, backward and one optimizer
 * update of `network`; emits the step's result. Epoch markers pass through
 * and advance the epoch number, which starts at `firstEpoch`.
 */
export function trainSteps(
  network: Network,
  optimizer: Optimizer,
  options: TrainStepsOptions = {},
): OperatorFunction<Batch | EpochEnd, StepResult | EpochEnd> {
  const { learningRate: schedule, guard = true, maxLoss } = options;
  return (source) =>
    defer(() => {
      let epoch = options.firstEpoch ?? 1;
      const guarded = guard ? new StepGuard(network, optimizer, maxLoss) : undefined;
      return source.pipe(
        map((item): StepResult | EpochEnd => {
          if (isEpochEnd(item)) {
            epoch = item.epoch + 1;
            return item;
          }
          if (schedule !== undefined) optimizer.learningRate = schedule(optimizer.steps);
          const learningRate = optimizer.learningRate;
          let loss: number;
          if (guarded === undefined) {
            loss = network.computeGradients(item);
            optimizer.update(network.parameters);
          } else {
            const result = guarded.step(item);
            if (typeof result !== 'number') {
              throw new TrainingDiverged({ epoch, step: optimizer.steps + 1, quantity: result.quantity, loss: result.loss, maxLoss, learningRate });
            }
            loss = result;
          }
          return { kind: 'step', epoch, iteration: optimizer.steps, loss, rows: item.rows, learningRate };
        }),
      );
    });
}
