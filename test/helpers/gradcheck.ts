import type { FloatArray, Layer, Parameter } from '../../src/index.js';
import { worstRelativeError } from '../../src/model/gradient-check.js';

export { worstRelativeError };

/** Deterministic pseudo-random values in [-scale, scale) for test inputs. */
export function filled(array: FloatArray, seed: number, scale = 1): FloatArray {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < array.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    array[i] = (((state >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return array;
}

/** L = Σ r ⊙ y: a loss whose gradient with respect to y is r. */
export function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += y[i]! * r[i]!;
  return s;
}

/**
 * The worst relative errors of a layer's weight, bias and input gradients
 * (in that order) against finite differences of the loss y · r.
 */
export function layerGradientErrors(layer: Layer & { readonly weight: Parameter; readonly bias: Parameter }, x: Float64Array, r: Float64Array, rows: number): number[] {
  const loss = (): number => dot(layer.forward(x, rows, 'train'), r);
  loss();
  const dx = Float64Array.from(layer.backward(r, rows)!);
  return [
    worstRelativeError(layer.weight.value, Float64Array.from(layer.weight.grad), loss),
    worstRelativeError(layer.bias.value, Float64Array.from(layer.bias.grad), loss),
    worstRelativeError(x, dx, loss),
  ];
}
