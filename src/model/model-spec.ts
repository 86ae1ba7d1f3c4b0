import { checkPositiveInteger } from '../core/checks.js';
import { SettingError } from '../core/errors.js';

export const HIDDEN_ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
export type Activation = HiddenActivation | 'softmax';

/** Leaky ReLU's slope for negative inputs when none is given. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

export interface BatchNormSpec {
  /** running ← momentum · running + (1 - momentum) · batch statistic */
  readonly momentum: number;
  readonly eps: number;
}

export const DEFAULT_BATCH_NORM: BatchNormSpec = { momentum: 0.9, eps: 1e-5 };

/**
 * One dense layer and what follows it, in this order: dense, batch norm
 * (optional), activation, dropout (optional, hidden layers only).
 */
export interface DenseSpec {
  readonly type: 'dense';
  readonly units: number;
  readonly activation: Activation;
  /** leaky-relu only: the slope for negative inputs. */
  readonly slope?: number;
  readonly batchNorm?: BatchNormSpec;
  /** Probability of dropping each unit in training. */
  readonly dropout?: number;
}

/**
 * What a network is, in the form stored in checkpoint metadata, e.g.
 * {"input":784,"layers":[{"type":"dense","units":50,"activation":"sigmoid"},
 * {"type":"dense","units":10,"activation":"softmax"}]}.
 */
export interface ModelSpec {
  readonly input: number;
  readonly layers: readonly DenseSpec[];
}

export interface MlpOptions {
  /** Of every hidden layer; default sigmoid (the lesson's). */
  readonly activation?: HiddenActivation;
  readonly slope?: number;
  readonly batchNorm?: BatchNormSpec;
  readonly dropout?: number;
}

/** A multilayer perceptron: hidden dense layers, then a softmax output of `classes`. */
export function mlpSpec(input: number, hidden: readonly number[], classes: number, options: MlpOptions = {}): ModelSpec {
  const activation = options.activation ?? 'sigmoid';
  const layers: DenseSpec[] = hidden.map((units) => ({
    type: 'dense',
    units,
    activation,
    ...(activation === 'leaky-relu' ? { slope: options.slope ?? DEFAULT_LEAKY_SLOPE } : {}),
    ...(options.batchNorm === undefined ? {} : { batchNorm: options.batchNorm }),
    ...(options.dropout === undefined || options.dropout === 0 ? {} : { dropout: options.dropout }),
  }));
  layers.push({ type: 'dense', units: classes, activation: 'softmax' });
  const spec = { input, layers };
  checkModelSpec(spec);
  return spec;
}

export function checkModelSpec(spec: ModelSpec): void {
  checkPositiveInteger('input', spec.input);
  if (spec.layers.length === 0) throw new SettingError('layers', 'a model needs at least its output layer');
  spec.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    const last = i === spec.layers.length - 1;
    if (layer.type !== 'dense') throw new SettingError(`${at}.type`, `unknown layer type ${String(layer.type)}`);
    checkPositiveInteger(`${at}.units`, layer.units);
    if (last ? layer.activation !== 'softmax' : !(HIDDEN_ACTIVATIONS as readonly string[]).includes(layer.activation)) {
      const expected = last ? 'softmax (output layer)' : `one of ${HIDDEN_ACTIVATIONS.join(', ')} (hidden layer)`;
      throw new SettingError(`${at}.activation`, `must be ${expected}, got ${String(layer.activation)}`);
    }
    if (layer.slope !== undefined && !(Number.isFinite(layer.slope) && layer.slope >= 0 && layer.slope < 1)) {
      throw new SettingError(`${at}.slope`, `must be in [0, 1), got ${layer.slope}`);
    }
    if (layer.dropout !== undefined) {
      if (last) throw new SettingError(`${at}.dropout`, 'the output layer takes no dropout');
      if (!(layer.dropout >= 0 && layer.dropout < 1)) throw new SettingError('dropout', `must be in [0, 1), got ${layer.dropout}`);
    }
    if (layer.batchNorm !== undefined) {
      if (last) throw new SettingError(`${at}.batchNorm`, 'the output layer takes no batch norm');
      const { momentum, eps } = layer.batchNorm;
      if (!(momentum >= 0 && momentum < 1)) throw new SettingError(`${at}.batchNorm.momentum`, `must be in [0, 1), got ${momentum}`);
      if (!(eps > 0)) throw new SettingError(`${at}.batchNorm.eps`, `must be positive, got ${eps}`);
    }
  });
  if (spec.layers[spec.layers.length - 1]!.units < 2) throw new SettingError('classes', 'need at least 2 classes');
}
