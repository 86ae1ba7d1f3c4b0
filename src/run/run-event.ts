import type { EpochReport, ScoringProgress } from '../model/evaluate-epochs.js';
import type { BestMetric } from './training-state.js';
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

/** The run ended before its last epoch because early stopping saw no improvement for its patience; `best` says which epoch was best. */
export interface RunEarlyStopped {
  readonly kind: 'early-stopped';
  /** The last epoch trained. */
  readonly epoch: number;
  readonly iteration: number;
  readonly best: { readonly metric: BestMetric; readonly value: number; readonly epoch: number };
  readonly patience: number;
}

/**
 * What a training run emits: a step, the scoring of the full sets at an
 * epoch's end, an epoch's report, or (last) that it stopped on its signal
 * or stopped early.
 */
export type RunEvent = RunStep | ScoringProgress | EpochReport | RunStopped | RunEarlyStopped;
