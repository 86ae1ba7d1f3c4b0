import { checkPositiveInteger, checkPositiveNumber, checkSeed } from '../core/checks.js';
import { SettingError } from '../core/errors.js';
import { checkLrSchedule, learningRateAt, type LrSchedule, type Plateau } from '../model/lr-schedule.js';
import { createOptimizer, type OptimizerSpec } from '../model/optimizers/create-optimizer.js';
import { checkAugmentRanges, type AugmentRanges } from '../operators/augment.js';
import { UNIT_RANGE, type Normalization } from '../operators/normalize.js';
import type { EarlyStop } from './early-stop.js';
import { checkModelLayers, type ModelSettings } from './model-spec-of.js';
import { BEST_METRICS } from './training-state.js';

export type { ModelSettings } from './model-spec-of.js';

export const SAMPLERS = ['permutation', 'replacement'] as const;
export type Sampler = (typeof SAMPLERS)[number];

/** The optimizer by name (OPTIMIZERS) and its hyperparameters; unset ones take its usual defaults. */
export interface OptimizerSettings extends Pick<OptimizerSpec, 'name' | 'lr' | 'momentum' | 'beta1' | 'beta2' | 'eps'> {
  /** L2 penalty on dense weights: (weightDecay / 2) · Σ W². */
  readonly weightDecay: number;
}

/** How the learning rate changes over the run (e.g. `{ kind: 'cosine', warmup: 0 }`), after `warmup` steps of linear warmup. */
export type ScheduleSettings = LrSchedule & { readonly warmup: number };

/** How samples become batches. */
export interface DataSettings {
  readonly batchSize: number;
  /** permutation: every sample once per epoch; replacement: each draw uniform, as the lesson's numpy code. */
  readonly sampler: Sampler;
  /**
   * Shuffle through a buffer of this many samples instead of a whole-epoch
   * permutation (needed when the training set is streamed from disk).
   */
  readonly shuffleBuffer?: number | undefined;
  /** Maps stored pixel values to inputs (normalizationFor gives the one for a data set's element type). */
  readonly normalization: Normalization;
  /** Rows per batch when scoring the full sets; does not change any result. */
  readonly evalBatchSize: number;
  /** Random shifts, rotations and zooms of the training images (augment); absent: none. */
  readonly augment?: AugmentRanges | undefined;
  /**
   * Training samples held out for validation and never trained on: a whole
   * number, or a fraction in (0, 1) of the training set. A stratified choice
   * seeded by the run's seed (splitValidation), the same for the whole run.
   */
  readonly validation?: number | undefined;
}

/** The run as a whole. */
export interface RunSettings {
  readonly epochs: number;
  /** Seed of every random choice: init, sample order, dropout. */
  readonly seed: number;
  /** A batch loss above this stops the run as diverged, as a non-finite one does; 0: no limit. */
  readonly maxLoss: number;
  /** End the run once its metric has not improved for `patience` epochs (see EarlyStop). */
  readonly earlyStop?: EarlyStop | undefined;
}

/**
 * Everything that decides what a training run computes, in groups. Each
 * group is checked once where it is built (checkTrainSettings, which
 * presetSettings calls); errors name the field as the command line's flag
 * does (`lr`, `batchSize`).
 */
export interface TrainSettings {
  readonly model: ModelSettings;
  readonly optimizer: OptimizerSettings;
  readonly schedule: ScheduleSettings;
  readonly data: DataSettings;
  readonly run: RunSettings;
}

/** The lesson's experiment: 784-50-10 sigmoid, N(0, 0.01²), SGD 0.1, batch 100, 17 epochs of 600 steps. */
export const LESSON_SETTINGS: TrainSettings = {
  model: { hidden: [50], activation: 'sigmoid', init: { kind: 'normal', std: 0.01 }, dropout: 0, batchNorm: false, classes: 10 },
  optimizer: { name: 'sgd', lr: 0.1, weightDecay: 0 },
  schedule: { kind: 'constant', warmup: 0 },
  data: { batchSize: 100, sampler: 'permutation', normalization: UNIT_RANGE, evalBatchSize: 1000 },
  run: { epochs: 17, seed: 0, maxLoss: 1e6 },
};

/** The learning rate of every step of a run with these settings, `stepsPerEpoch` steps an epoch (a plateau schedule reads the rate in force from `plateau`). */
export function learningRateSchedule(s: TrainSettings, stepsPerEpoch: number, plateau?: Plateau): (step: number) => number {
  const { warmup, ...schedule } = s.schedule;
  const context = { stepsPerEpoch, totalSteps: stepsPerEpoch * s.run.epochs, warmup, plateau };
  return (step) => learningRateAt(s.optimizer.lr, schedule as LrSchedule, step, context);
}

/** Objects already checked, frozen as they were: each group is checked once, where it is built, however many steps of a run take it in. */
const CHECKED = new WeakSet<object>();

function once<T extends object>(group: T, check: (group: T) => void): void {
  if (CHECKED.has(group)) return;
  check(group);
  for (const value of Object.values(group)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  CHECKED.add(Object.freeze(group));
}

/** The layer fields (widths, activation, dropout, classes) are checked by the layers' own schemas, through the spec they make. */
export function checkModelSettings(m: ModelSettings): void {
  once(m, () => {
    checkModelLayers(m);
    if (m.layers !== undefined && !(Array.isArray(m.layers) && m.layers.length > 0)) throw new SettingError('layers', 'a model needs at least its output layer');
    if (m.init.kind === 'normal') checkPositiveNumber('initStd', m.init.std);
    else if (m.init.kind !== 'xavier' && m.init.kind !== 'he') throw new SettingError('init', `unknown init ${JSON.stringify((m.init as { kind?: unknown }).kind)}`);
  });
}

export function checkOptimizerSettings(o: OptimizerSettings): void {
  once(o, () => {
    createOptimizer(o); // checks the name and hyperparameters; builds nothing large
    if (!(o.weightDecay >= 0 && Number.isFinite(o.weightDecay))) throw new SettingError('weightDecay', `must be 0 or more, got ${o.weightDecay}`);
  });
}

export function checkScheduleSettings(s: ScheduleSettings): void {
  once(s, () => {
    const { warmup, ...schedule } = s;
    checkLrSchedule(schedule as LrSchedule);
    if (!(Number.isSafeInteger(warmup) && warmup >= 0)) throw new SettingError('warmup', `must be 0 or more steps, got ${warmup}`);
  });
}

export function checkDataSettings(d: DataSettings): void {
  once(d, () => {
    checkPositiveInteger('batchSize', d.batchSize);
    if (!SAMPLERS.includes(d.sampler)) throw new SettingError('sampler', `must be one of ${SAMPLERS.join(', ')}, got ${String(d.sampler)}`);
    if (d.shuffleBuffer !== undefined) {
      checkPositiveInteger('shuffleBuffer', d.shuffleBuffer);
      if (d.sampler !== 'permutation') throw new SettingError('shuffleBuffer', `shuffles without replacement; it cannot be combined with the ${d.sampler} sampler`);
    }
    checkPositiveInteger('evalBatchSize', d.evalBatchSize);
    if (d.augment !== undefined) checkAugment(d.augment);
    const v = d.validation;
    if (v !== undefined && !((Number.isSafeInteger(v) && v >= 1) || (v > 0 && v < 1))) {
      throw new SettingError('validation', `must be a whole number of samples (1 or more) or a fraction in (0, 1), got ${v}`);
    }
  });
}

export function checkRunSettings(r: RunSettings): void {
  once(r, () => {
    checkPositiveInteger('epochs', r.epochs);
    checkSeed('seed', r.seed);
    if (!(r.maxLoss >= 0 && Number.isFinite(r.maxLoss))) throw new SettingError('maxLoss', `must be 0 (no limit) or more, got ${r.maxLoss}`);
    if (r.earlyStop !== undefined) checkEarlyStop(r.earlyStop);
  });
}

/** Throws a SettingError naming the first setting out of range; each group already checked is passed over. */
export function checkTrainSettings(s: TrainSettings): void {
  once(s, () => {
    for (const group of ['model', 'optimizer', 'schedule', 'data', 'run'] as const) {
      if (typeof s[group] !== 'object' || s[group] === null) throw new SettingError(group, `expected the ${group} settings, got ${JSON.stringify(s[group])}`);
    }
    checkModelSettings(s.model);
    checkOptimizerSettings(s.optimizer);
    checkScheduleSettings(s.schedule);
    checkDataSettings(s.data);
    checkRunSettings(s.run);
  });
}

/** Augmentation's ranges, reported as the settings `augmentShift`, `augmentRotate`, `augmentScale`. */
function checkAugment(ranges: AugmentRanges): void {
  try {
    checkAugmentRanges(ranges);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    throw new SettingError(`augment${error.setting[0]!.toUpperCase()}${error.setting.slice(1)}`, error.problem);
  }
}

function checkEarlyStop({ patience, minDelta, metric }: EarlyStop): void {
  if (!(Number.isSafeInteger(patience) && patience > 0)) throw new SettingError('earlyStop', `PATIENCE must be a positive whole number of epochs, got ${patience}`);
  if (!(minDelta >= 0 && Number.isFinite(minDelta))) throw new SettingError('earlyStop', `MIN_DELTA must be 0 or more, got ${minDelta}`);
  if (metric !== undefined && !BEST_METRICS.includes(metric)) throw new SettingError('earlyStop', `metric must be one of ${BEST_METRICS.join(', ')}, got ${String(metric)}`);
}
