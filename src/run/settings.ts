import { checkPositiveInteger, checkPositiveNumber, checkSeed } from '../core/checks.js';
import { SettingError } from '../core/errors.js';
import type { InitSpec } from '../model/init.js';
import { checkLrSchedule, learningRateAt, type LrSchedule, type Plateau } from '../model/lr-schedule.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation } from '../model/model-spec.js';
import { createOptimizer, OPTIMIZERS, type OptimizerName, type OptimizerSpec } from '../model/optimizers/create-optimizer.js';
import { UNIT_RANGE, type Normalization } from '../operators/normalize.js';
import type { EarlyStop } from './early-stop.js';
import { BEST_METRICS } from './training-state.js';

export const SAMPLERS = ['permutation', 'replacement'] as const;
export type Sampler = (typeof SAMPLERS)[number];

/** Everything that decides what a training run computes. */
export interface TrainSettings extends Pick<OptimizerSpec, 'momentum' | 'beta1' | 'beta2' | 'eps'> {
  readonly epochs: number;
  readonly batchSize: number;
  /** The base learning rate. */
  readonly lr: number;
  /** Widths of the hidden layers, e.g. [50] or [128, 64]. */
  readonly hidden: readonly number[];
  readonly activation: HiddenActivation;
  readonly init: InitSpec;
  /** L2 penalty on dense weights: (weightDecay / 2) · Σ W². */
  readonly weightDecay: number;
  /** Dropout rate of every hidden layer (0: none). */
  readonly dropout: number;
  /** Batch normalisation after every hidden dense layer. */
  readonly batchNorm: boolean;
  readonly optimizer: OptimizerName;
  readonly lrSchedule: LrSchedule;
  /** Steps of linear learning-rate warmup. */
  readonly warmup: number;
  readonly seed: number;
  /** permutation: every sample once per epoch; replacement: each draw uniform, as the lesson's numpy code. */
  readonly sampler: Sampler;
  /**
   * Shuffle through a buffer of this many samples instead of a whole-epoch
   * permutation (needed when the training set is streamed from disk).
   */
  readonly shuffleBuffer?: number | undefined;
  readonly classes: number;
  readonly normalization: Normalization;
  /** A batch loss above this stops the run as diverged, as a non-finite one does; 0: no limit. */
  readonly maxLoss: number;
  /** Rows per batch when scoring the full sets; does not change any result. */
  readonly evalBatchSize: number;
  /**
   * Training samples held out for validation and never trained on: a whole
   * number, or a fraction in (0, 1) of the training set. A stratified choice
   * seeded by `seed` (splitValidation), the same for the whole run.
   */
  readonly validation?: number | undefined;
  /** End the run once its metric has not improved for `patience` epochs (see EarlyStop). */
  readonly earlyStop?: EarlyStop | undefined;
}

/** The lesson's experiment: 784-50-10 sigmoid, N(0, 0.01²), SGD 0.1, batch 100, 17 epochs of 600 steps. */
export const LESSON_SETTINGS: TrainSettings = {
  epochs: 17,
  batchSize: 100,
  lr: 0.1,
  hidden: [50],
  activation: 'sigmoid',
  init: { kind: 'normal', std: 0.01 },
  weightDecay: 0,
  dropout: 0,
  batchNorm: false,
  optimizer: 'sgd',
  lrSchedule: { kind: 'constant' },
  warmup: 0,
  seed: 0,
  sampler: 'permutation',
  classes: 10,
  normalization: UNIT_RANGE,
  maxLoss: 1e6,
  evalBatchSize: 1000,
};

/** The learning rate of every step of a run with these settings, `stepsPerEpoch` steps an epoch (a plateau schedule reads the rate in force from `plateau`). */
export function learningRateSchedule(s: TrainSettings, stepsPerEpoch: number, plateau?: Plateau): (step: number) => number {
  const context = { stepsPerEpoch, totalSteps: stepsPerEpoch * s.epochs, warmup: s.warmup, plateau };
  return (step) => learningRateAt(s.lr, s.lrSchedule, step, context);
}

/** Settings already checked, frozen as they were: each settings object is checked once, where it is built, however many steps of a run take it in. */
const CHECKED = new WeakSet<TrainSettings>();

/** Throws a SettingError naming the first setting out of range. */
export function checkTrainSettings(s: TrainSettings): void {
  if (CHECKED.has(s)) return;
  checkPositiveInteger('epochs', s.epochs);
  checkPositiveInteger('batchSize', s.batchSize);
  checkPositiveNumber('lr', s.lr);
  s.hidden.forEach((width) => {
    if (!(Number.isSafeInteger(width) && width > 0)) {
      throw new SettingError('hidden', `widths must be positive integers, got ${width}`);
    }
  });
  if (!HIDDEN_ACTIVATIONS.includes(s.activation)) {
    throw new SettingError('activation', `must be one of ${HIDDEN_ACTIVATIONS.join(', ')}, got ${String(s.activation)}`);
  }
  if (s.init.kind === 'normal') checkPositiveNumber('initStd', s.init.std);
  else if (s.init.kind !== 'xavier' && s.init.kind !== 'he') throw new SettingError('init', `unknown init ${JSON.stringify((s.init as { kind?: unknown }).kind)}`);
  if (!(s.weightDecay >= 0 && Number.isFinite(s.weightDecay))) {
    throw new SettingError('weightDecay', `must be 0 or more, got ${s.weightDecay}`);
  }
  if (!(s.dropout >= 0 && s.dropout < 1)) throw new SettingError('dropout', `must be in [0, 1), got ${s.dropout}`);
  if (!OPTIMIZERS.includes(s.optimizer)) {
    throw new SettingError('optimizer', `must be one of ${OPTIMIZERS.join(', ')}, got ${String(s.optimizer)}`);
  }
  createOptimizer({ ...s, name: s.optimizer }); // checks the optimizer's hyperparameters; builds nothing large
  checkLrSchedule(s.lrSchedule);
  if (!(Number.isSafeInteger(s.warmup) && s.warmup >= 0)) throw new SettingError('warmup', `must be 0 or more steps, got ${s.warmup}`);
  checkSeed('seed', s.seed);
  if (!SAMPLERS.includes(s.sampler)) {
    throw new SettingError('sampler', `must be one of ${SAMPLERS.join(', ')}, got ${String(s.sampler)}`);
  }
  if (s.shuffleBuffer !== undefined) {
    checkPositiveInteger('shuffleBuffer', s.shuffleBuffer);
    if (s.sampler !== 'permutation') {
      throw new SettingError('shuffleBuffer', `shuffles without replacement; it cannot be combined with the ${s.sampler} sampler`);
    }
  }
  if (!(Number.isSafeInteger(s.classes) && s.classes >= 2)) {
    throw new SettingError('classes', `must be an integer of at least 2, got ${s.classes}`);
  }
  if (!(s.maxLoss >= 0 && Number.isFinite(s.maxLoss))) throw new SettingError('maxLoss', `must be 0 (no limit) or more, got ${s.maxLoss}`);
  checkPositiveInteger('evalBatchSize', s.evalBatchSize);
  if (s.validation !== undefined && !((Number.isSafeInteger(s.validation) && s.validation >= 1) || (s.validation > 0 && s.validation < 1))) {
    throw new SettingError('validation', `must be a whole number of samples (1 or more) or a fraction in (0, 1), got ${s.validation}`);
  }
  if (s.earlyStop !== undefined) {
    const { patience, minDelta, metric } = s.earlyStop;
    if (!(Number.isSafeInteger(patience) && patience > 0)) throw new SettingError('earlyStop', `PATIENCE must be a positive whole number of epochs, got ${patience}`);
    if (!(minDelta >= 0 && Number.isFinite(minDelta))) throw new SettingError('earlyStop', `MIN_DELTA must be 0 or more, got ${minDelta}`);
    if (metric !== undefined && !BEST_METRICS.includes(metric)) throw new SettingError('earlyStop', `metric must be one of ${BEST_METRICS.join(', ')}, got ${String(metric)}`);
  }
  for (const value of Object.values(s)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  CHECKED.add(Object.freeze(s));
}
