import { SettingError } from '../core/errors.js';
import type { EpochReport } from '../model/evaluate-epochs.js';
import type { BestMetric } from './training-state.js';

/** End a run once `metric` has not improved by more than `minDelta` for `patience` epochs in a row. */
export interface EarlyStop {
  readonly patience: number;
  /** The least change that counts as an improvement (default 0: any). */
  readonly minDelta: number;
  /** Default: the run's --save-best metric, else val_acc with a validation set, else test_acc. */
  readonly metric?: BestMetric | undefined;
}

/** The best value early stopping has seen and its epoch; the epochs since then are the patience used up. */
export interface EarlyStopState {
  readonly value: number;
  readonly epoch: number;
}

/** The value of `metric` in an epoch's report (undefined: a validation metric in a run without a validation set). */
export function metricOf(metric: BestMetric, e: EpochReport): number | undefined {
  switch (metric) {
    case 'val_acc':
      return e.valAccuracy;
    case 'val_loss':
      return e.valLoss;
    case 'test_acc':
      return e.testAccuracy;
    case 'test_loss':
      return e.testLoss;
  }
}

/** Whether `value` improves on `best` by more than `minDelta` (accuracies up, losses down); anything improves on no best. */
export function improves(metric: BestMetric, value: number, best: number | undefined, minDelta = 0): boolean {
  if (best === undefined) return true;
  return metric.endsWith('_acc') ? value > best + minDelta : value < best - minDelta;
}

/**
 * Early stopping: takes in each epoch's report and says when the run should
 * end. Its state is the best value and epoch (patience used up = epochs
 * since), kept in checkpoints so a resumed run stops where the run never
 * interrupted would have.
 */
export class EarlyStopper {
  constructor(
    readonly rule: EarlyStop & { readonly metric: BestMetric },
    private current: EarlyStopState | undefined,
  ) {}

  observe(e: EpochReport): void {
    const value = metricOf(this.rule.metric, e);
    if (value === undefined || !Number.isFinite(value)) return;
    if (improves(this.rule.metric, value, this.current?.value, this.rule.minDelta)) this.current = { value, epoch: e.epoch };
  }

  /** Whether the run should end after epoch `epoch`. */
  stopsAfter(epoch: number): boolean {
    return this.current !== undefined && epoch - this.current.epoch >= this.rule.patience;
  }

  state(): EarlyStopState | undefined {
    return this.current;
  }
}

/** "PATIENCE" or "PATIENCE:MIN_DELTA" (the metric is the run's --save-best one, or its default). */
export function parseEarlyStop(text: string): EarlyStop {
  const [patience, minDelta, ...rest] = text.split(':').map((part) => (part.trim() === '' ? NaN : Number(part)));
  const rule = { patience: patience ?? NaN, minDelta: minDelta ?? 0 };
  if (rest.length > 0 || !(Number.isSafeInteger(rule.patience) && rule.patience > 0) || !(rule.minDelta >= 0 && Number.isFinite(rule.minDelta))) {
    throw new SettingError('earlyStop', `expected PATIENCE (a positive whole number of epochs) or PATIENCE:MIN_DELTA (MIN_DELTA 0 or more), got "${text}"`);
  }
  return rule;
}
