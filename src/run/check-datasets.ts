import { InputError, SettingError } from '../core/errors.js';
import { checkLabelsBelow, type Dataset } from '../sources/dataset.js';
import { checkModelSize } from '../model/model-size.js';
import { NO_AUGMENT, type AugmentRanges } from '../operators/augment.js';
import type { ModelSpec } from '../model/model-spec.js';
import { modelSpecOf } from './model-spec-of.js';
import { checkTrainSettings, type TrainSettings } from './settings.js';

/**
 * Everything that can be checked about a run before it starts: the
 * settings, the data sets together (checkDatasets), and that the network
 * and its batches fit in memory. Throws the first problem found; returns
 * the network the settings describe for this data.
 */
export function checkRun(train: Dataset, test: Dataset, settings: TrainSettings): ModelSpec {
  checkTrainSettings(settings);
  checkDatasets(train, test, settings);
  const spec = modelSpecOf(settings, train);
  checkModelSize(spec, Math.max(settings.data.batchSize, settings.data.evalBatchSize));
  return spec;
}

/**
 * Checks that a training and a test set can make one run with these
 * settings: same image shape and element type, every label one of the
 * classes (which the training labels or `settings.model.classes` decide; a test
 * label outside them is refused, it never widens the network), and a
 * shuffle buffer for a training set streamed from disk. Errors name the files.
 */
export function checkDatasets(train: Dataset, test: Dataset, settings: TrainSettings): void {
  const names = { train: train.files?.images ?? 'training images', test: test.files?.images ?? 'test images' };
  if (train.storage === 'stream' && settings.data.shuffleBuffer === undefined) {
    throw new SettingError('shuffleBuffer', 'a training set streamed from disk is shuffled through a buffer: give its size');
  }
  if (train.inputSize !== test.inputSize) {
    throw new InputError(`${names.test}: images of ${test.shape.join('x')} values, but the training images (${names.train}) have ${train.shape.join('x')}; they must match`);
  }
  if (train.elementType !== test.elementType) {
    throw new InputError(`${names.test}: ${test.elementType} values, but the training images (${names.train}) are ${train.elementType}; they must match`);
  }
  if (train.classes > settings.model.classes) {
    throw new SettingError('classes', `the training labels (${train.files?.labels ?? 'labels'}) go up to ${train.classes - 1}, so at least ${train.classes} classes are needed, got ${settings.model.classes}`);
  }
  checkLabelsBelow(test, settings.model.classes, 'the training set');
  const moved = augmentedBy(settings.data.augment);
  if (moved !== undefined && train.shape.length < 2) {
    throw new SettingError(moved, `moves images, but the training samples (${names.train}) are vectors of ${train.inputSize} values`);
  }
}

/** Each augmentation range by the name of its setting (as its flag is named). */
export const AUGMENT_SETTINGS = { shift: 'augmentShift', rotate: 'augmentRotate', scale: 'augmentScale' } as const;

/** The setting of the first augmentation that moves pixels, if any does. */
function augmentedBy(augment: AugmentRanges | undefined): string | undefined {
  const range = (Object.keys(AUGMENT_SETTINGS) as (keyof AugmentRanges)[]).find((key) => augment !== undefined && augment[key] !== NO_AUGMENT[key]);
  return range && AUGMENT_SETTINGS[range];
}
