import { sampleShapeOf } from '../core/batch.js';
import { InputError, SettingError } from '../core/errors.js';
import type { InitSpec } from '../model/init.js';
import type { LayerSpec } from '../model/layers/layer-kinds.js';
import { checkModelSpec, DEFAULT_BATCH_NORM, hiddenLayers, LayerError, placeLayers, type HiddenActivation, type MlpOptions, type ModelSpec } from '../model/model-spec.js';

/**
 * The network: `layers` if given (e.g. from `--layers`), else an MLP of
 * `hidden` layers, each dense, batch norm (optional), the activation and
 * dropout (optional), then `classes` scores.
 */
export interface ModelSettings {
  /** Widths of the hidden layers, e.g. [50] or [128, 64]. */
  readonly hidden: readonly number[];
  readonly activation: HiddenActivation;
  readonly init: InitSpec;
  /** Dropout rate of every hidden layer (0: none). */
  readonly dropout: number;
  /** Batch normalisation after every hidden dense layer. */
  readonly batchNorm: boolean;
  readonly classes: number;
  /** The network's layers, in place of the MLP of hidden, activation, batchNorm and dropout; checked against the data's shape (modelSpecOf). */
  readonly layers?: readonly LayerSpec[] | undefined;
}

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
 * The network the model settings describe, for inputs of `input` values (or
 * of the data's shape): `model.layers` if given, else the MLP. Layers
 * starting on images (a convolution or pooling) take one image as
 * [channels, height, width] ([1, 28, 28] for MNIST); others take the flat
 * vector of its values. A layer list that does not fit is a SettingError of
 * `layers` naming the layer, e.g. `layer 4 (max-pool:2): input 7x7 is not divisible by 2`.
 */
export function modelSpecOf(settings: { readonly model: ModelSettings }, input: number | InputData): ModelSpec {
  const data = typeof input === 'number' ? { inputSize: input } : input;
  const { layers, classes } = settings.model;
  if (layers === undefined) {
    const spec = { input: [data.inputSize], layers: mlpLayers(settings.model) };
    checkModelSpec(spec);
    return spec;
  }
  const spec = { input: inputShape(layers, data), layers };
  let scores: number;
  try {
    scores = placeLayers(spec).at(-1)!.output[0]!;
  } catch (error) {
    throw error instanceof InputError ? new SettingError('layers', error.message) : error;
  }
  if (scores !== classes) {
    throw new SettingError('layers', `the last layer gives ${scores} class scores, but there are ${classes} classes (end with dense:${classes})`);
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

/** The layers of mlpSpec: per hidden width dense, batch norm, activation, dropout; then the class scores. */
function mlpLayers(m: ModelSettings): LayerSpec[] {
  const options: MlpOptions = { activation: m.activation, dropout: m.dropout, ...(m.batchNorm ? { batchNorm: DEFAULT_BATCH_NORM } : {}) };
  return [...m.hidden.flatMap((units) => hiddenLayers(units, options)), { type: 'dense', units: m.classes }];
}

/** The setting that makes each kind of layer of an MLP (the last dense layer is made by `classes`). */
const SETTING_OF: Readonly<Record<string, keyof ModelSettings>> = { dense: 'hidden', activation: 'activation', 'batch-norm': 'batchNorm', dropout: 'dropout' };

/**
 * Checks the fields that become layers (widths, activation, dropout,
 * classes) by building the spec: the layers' own schemas are the only
 * check, and a problem is reported as the setting that made the layer.
 * A `layers` list is checked against the data's shape, by modelSpecOf.
 */
export function checkModelLayers(m: ModelSettings): void {
  const layers = mlpLayers(m);
  try {
    checkModelSpec({ input: [1], layers });
  } catch (error) {
    if (!(error instanceof LayerError)) throw error;
    const setting = error.index === layers.length - 1 ? 'classes' : SETTING_OF[layers[error.index]?.type ?? ''];
    throw new SettingError(setting ?? error.title, error.issue.problem);
  }
}
