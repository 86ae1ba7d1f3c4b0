import type { FloatArray } from '../../src/index.js';

export { worstRelativeError } from '../../src/model/gradient-check.js';

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
