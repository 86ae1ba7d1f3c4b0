import { checkPositiveInteger, checkPositiveNumber, checkSeed } from '../checks.js';
import { SettingError } from '../errors.js';
import { UNIT_RANGE, type Normalization } from '../operators/normalize.js';

export const SAMPLERS = ['permutation', 'replacement'] as const;
export type Sampler = (typeof SAMPLERS)[number];

/** Everything that decides what a training run computes. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Widths of the hidden layers, e.g. [50] or [128, 64]. */
  readonly hidden: readonly number[];
  readonly initStd: number;
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
  /** Rows per batch when scoring the full sets; does not change any result. */
  readonly evalBatchSize: number;
}

/** The lesson's experiment: 784-50-10 sigmoid, N(0, 0.01²), SGD 0.1, batch 100, 17 epochs of 600 steps. */
export const LESSON_SETTINGS: TrainSettings = {
  epochs: 17,
  batchSize: 100,
  lr: 0.1,
  hidden: [50],
  initStd: 0.01,
  seed: 0,
  sampler: 'permutation',
  classes: 10,
  normalization: UNIT_RANGE,
  evalBatchSize: 1000,
};

/** Throws a SettingError naming the first setting out of range. */
export function checkTrainSettings(s: TrainSettings): void {
  checkPositiveInteger('epochs', s.epochs);
  checkPositiveInteger('batchSize', s.batchSize);
  checkPositiveNumber('lr', s.lr);
  s.hidden.forEach((width) => {
    if (!(Number.isSafeInteger(width) && width > 0)) {
      throw new SettingError('hidden', `widths must be positive integers, got ${width}`);
    }
  });
  checkPositiveNumber('initStd', s.initStd);
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
  checkPositiveInteger('evalBatchSize', s.evalBatchSize);
}
