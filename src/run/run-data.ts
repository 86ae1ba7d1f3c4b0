import { defer, EMPTY, type Observable } from 'rxjs';
import { SettingError } from '../core/errors.js';
import { holdOut } from '../operators/hold-out.js';
import type { Dataset } from '../sources/dataset.js';
import { samples, type Sample } from '../sources/samples.js';
import { splitValidation } from '../sources/validation-split.js';
import { checkDatasets } from './check-datasets.js';
import type { LedgerRules } from './run-ledger.js';
import type { TrainSettings } from './settings.js';
import type { BestMetric } from './training-state.js';

/** One side of a run's data: its samples (a pass per subscription), how many, and where the images are. */
export interface RunSamples {
  readonly samples: Observable<Sample>;
  readonly count: number;
  readonly storage: Dataset['storage'];
}

/** What a run trains on and validates on. */
export interface RunData {
  readonly train: RunSamples;
  readonly validation: RunSamples | undefined;
}

/**
 * The samples a run trains on and those it validates on: with
 * `settings.data.validation`, a stratified, seeded part of the training set
 * held out (splitValidation) and never trained on; with a separate
 * `validation` set, that set; else none. Throws a SettingError when both are given.
 */
export function runData(train: Dataset, validation: Dataset | undefined, settings: TrainSettings): RunData {
  const all = samples(train);
  if (validation !== undefined) {
    if (settings.data.validation !== undefined) throw new SettingError('validation', 'a run holds out part of its training set or takes a separate validation set, not both');
    checkDatasets(train, validation, settings);
    return { train: { samples: all, count: train.count, storage: train.storage }, validation: { samples: samples(validation), count: validation.count, storage: validation.storage } };
  }
  if (settings.data.validation === undefined) return { train: { samples: all, count: train.count, storage: train.storage }, validation: undefined };
  const split = splitValidation(train.labels, settings.data.validation, settings.run.seed);
  return {
    train: { samples: all.pipe(holdOut(split.held, 'train')), count: split.trainCount, storage: train.storage },
    validation: { samples: all.pipe(holdOut(split.held, 'validation')), count: split.validationCount, storage: train.storage },
  };
}

/** The metric a run selects its best epoch by when none is named: validation accuracy when it has a validation set, else test accuracy. */
export function defaultBestMetric(hasValidation: boolean): BestMetric {
  return hasValidation ? 'val_acc' : 'test_acc';
}

/**
 * The early-stopping and plateau rules of a run with these settings; throws
 * a SettingError when a validation metric is asked for without a validation set.
 */
export function runRules(settings: TrainSettings, saveBest: BestMetric | undefined, hasValidation: boolean): LedgerRules {
  const needsValidation = (name: string, metric: BestMetric | undefined): void => {
    if (metric?.startsWith('val_') === true && !hasValidation) throw new SettingError(name, `${metric} needs a validation set (validation, or a separate validation set)`);
  };
  needsValidation('saveBest', saveBest);
  const early = settings.run.earlyStop;
  const metric = early && (early.metric ?? saveBest ?? defaultBestMetric(hasValidation));
  needsValidation('earlyStop', metric);
  const { warmup: _warmup, ...schedule } = settings.schedule;
  return {
    earlyStop: early && metric && { ...early, metric },
    plateau: schedule.kind === 'plateau' ? { schedule, base: settings.optimizer.lr } : undefined,
  };
}

/** `source`, or nothing once `stopped()` says so: a pass asked for after early stopping ends the run. */
export function untilStopped<T>(source: Observable<T>, stopped: () => boolean): Observable<T> {
  return defer(() => (stopped() ? EMPTY : source));
}
