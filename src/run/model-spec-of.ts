import { sampleShapeOf } from '../core/batch.js';
import { InputError, SettingError } from '../core/errors.js';
import type { LayerSpec } from '../model/layers/layer-kinds.js';
import { DEFAULT_BATCH_NORM, mlpSpec, placeLayers, type ModelSpec } from '../model/model-spec.js';
import type { TrainSettings } from './settings.js';

/** What the network's input is made from: the values per sample and, for images, their dimensions in the file (e.g. [28, 28]). */
export interface InputData {
  readonly inputSize: number;
  readonly shape?: readonly number[];
}

/** Layers that work on any shape, value by value: what comes after them decides the input's shape. */
const SHAPELESS: ReadonlySet<string> = new Set(['activation', 'dropout', 'batch-norm']);

/** Layers that read images as [channels, height, width]. */
const ON_IMAGES: ReadonlySet<string> = new Set(['conv2d', 'max-pool', 'avg-pool']);

/**
 * The network the settings describe, for inputs of `input` values (or of
 * the data's shape): `settings.layers` if given, else the MLP of `hidden`,
 * `activation`, `batchNorm` and `dropout`. Layers starting on images (a
 * convolution or pooling) take one image as [channels, height, width]
 * ([1, 28, 28] for MNIST); others take the flat vector of its values.
 * A layer list that does not fit is a SettingError of `layers` naming the
 * layer, e.g. `layer 4 (max-pool:2): input 7x7 is not divisible by 2`.
 */
export function modelSpecOf(settings: TrainSettings, input: number | InputData): ModelSpec {
  const data = typeof input === 'number' ? { inputSize: input } : input;
  const { layers } = settings;
  if (layers === undefined) {
    return mlpSpec(data.inputSize, settings.hidden, settings.classes, {
      activation: settings.activation,
      dropout: settings.dropout,
      ...(settings.batchNorm ? { batchNorm: DEFAULT_BATCH_NORM } : {}),
    });
  }
  const spec = { input: inputShape(layers, data), layers };
  let scores: number;
  try {
    scores = placeLayers(spec).at(-1)!.output[0]!;
  } catch (error) {
    throw error instanceof InputError ? new SettingError('layers', error.message) : error;
  }
  if (scores !== settings.classes) {
    throw new SettingError('layers', `the last layer gives ${scores} class scores, but there are ${settings.classes} classes (end with dense:${settings.classes})`);
  }
  return spec;
}

/** Whether a layer list starts on images: its first layer that is not value-by-value is a convolution or pooling. */
export function startsOnImages(layers: readonly LayerSpec[]): boolean {
  const first = layers.find((layer) => !SHAPELESS.has(layer.type));
  return first !== undefined && ON_IMAGES.has(first.type);
}

function inputShape(layers: readonly LayerSpec[], data: InputData): readonly number[] {
  if (!startsOnImages(layers)) return [data.inputSize];
  const dims = data.shape ?? [data.inputSize];
  if (dims.length < 2) throw new SettingError('layers', `the first layers (${layers[0]!.type}) need images with a height and width, but the data are vectors of ${data.inputSize} values`);
  return sampleShapeOf(dims);
}
