import type { FloatArray } from '../../src/index.js';

/**
 * The worst relative error between an analytic gradient and central finite
 * differences of `loss` with respect to `values` (perturbed in place and
 * restored). Relative error: |a - n| / max(|a| + |n|, floor).
 */
export function worstRelativeError(
  values: FloatArray,
  analytic: ArrayLike<number>,
  loss: () => number,
  options: { h?: number; floor?: number } = {},
): number {
  const h = options.h ?? 1e-5;
  const floor = options.floor ?? 1e-10;
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const saved = values[i]!;
    values[i] = saved + h;
    const plus = loss();
    values[i] = saved - h;
    const minus = loss();
    values[i] = saved;
    const numeric = (plus - minus) / (2 * h);
    const a = analytic[i]!;
    worst = Math.max(worst, Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor));
  }
  return worst;
}

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
