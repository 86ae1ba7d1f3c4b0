import type { EpochReport } from '../model/evaluate-epochs.js';
import type { StepResult } from '../model/train-steps.js';

/** The run stopped early because its signal was aborted; `checkpoint` (a path) holds where it stopped. */
export interface RunStopped {
  readonly kind: 'stopped';
  readonly reason: unknown;
  readonly epoch: number;
  readonly iteration: number;
  readonly checkpoint: string | undefined;
}

/** A training step as the run reports it. */
export interface RunStep extends StepResult {
  /** The mean of the epoch's step losses so far, this one included (trainRun sets it; the epoch's report shows the final one as trainLoss): progress needs no sums of its own. */
  readonly epochLoss?: number | undefined;
}

/** What a training run emits: a step, an epoch's report, or (last) that it stopped on its signal. */
export type RunEvent = RunStep | EpochReport | RunStopped;
