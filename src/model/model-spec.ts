import { checkPositiveInteger } from '../checks.js';
import { SettingError } from '../errors.js';

export type HiddenActivation = 'sigmoid';
export type Activation = HiddenActivation | 'softmax';

export interface DenseSpec {
  readonly type: 'dense';
  readonly units: number;
  readonly activation: Activation;
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

/** A multilayer perceptron: hidden dense layers, then a softmax output of `classes`. */
export function mlpSpec(input: number, hidden: readonly number[], classes: number): ModelSpec {
  const layers: DenseSpec[] = hidden.map((units) => ({ type: 'dense', units, activation: 'sigmoid' }));
  layers.push({ type: 'dense', units: classes, activation: 'softmax' });
  const spec = { input, layers };
  checkModelSpec(spec);
  return spec;
}

export function checkModelSpec(spec: ModelSpec): void {
  checkPositiveInteger('input', spec.input);
  if (spec.layers.length === 0) throw new SettingError('layers', 'a model needs at least its output layer');
  spec.layers.forEach((layer, i) => {
    const last = i === spec.layers.length - 1;
    if (layer.type !== 'dense') throw new SettingError(`layers[${i}].type`, `unknown layer type ${String(layer.type)}`);
    checkPositiveInteger(`layers[${i}].units`, layer.units);
    const expected = last ? 'softmax' : 'sigmoid';
    if (layer.activation !== expected) {
      throw new SettingError(
        `layers[${i}].activation`,
        `must be ${expected} (${last ? 'output' : 'hidden'} layer), got ${String(layer.activation)}`,
      );
    }
  });
  if (spec.layers[spec.layers.length - 1]!.units < 2) throw new SettingError('classes', 'need at least 2 classes');
}
