import { describe, expect, it } from 'vitest';
import { tsKernels, type FloatArray } from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';

/**
 * An independent float64 reference, written the obvious way, with the
 * standard error bound of a k-term dot product in the tested precision:
 * |computed - exact| <= k·u·Σ|a·b| (u: unit roundoff), plus the rounding
 * of the reference itself.
 */
const at = (a: ArrayLike<number>, i: number): number => a[i]!;
interface Reference {
  readonly values: Float64Array;
  readonly bounds: Float64Array;
}
function reference(
  m: number,
  k: number,
  n: number,
  unitRoundoff: number,
  entry: (i: number, j: number, p: number) => number,
): Reference {
  const values = new Float64Array(m * n);
  const bounds = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    let magnitude = 0;
    for (let p = 0; p < k; p++) {
      const term = entry(i, j, p);
      s += term;
      magnitude += Math.abs(term);
    }
    values[i * n + j] = s;
    bounds[i * n + j] = (k + 1) * unitRoundoff * magnitude + 2 ** -52 * magnitude;
  }
  return { values, bounds };
}

function expectWithinBounds(actual: ArrayLike<number>, expected: Reference): void {
  expect(actual.length).toBe(expected.values.length);
  for (let i = 0; i < expected.values.length; i++) {
    const error = Math.abs(at(actual, i) - expected.values[i]!);
    if (error > expected.bounds[i]!) {
      throw new Error(`element ${i}: ${at(actual, i)} vs ${expected.values[i]}, error ${error} > bound ${expected.bounds[i]}`);
    }
  }
}

function sparse(array: FloatArray, seed: number): FloatArray {
  filled(array, seed);
  for (let i = 0; i < array.length; i += 3) array[i] = 0;
  return array;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = at(expected, i);
    if (Math.abs(at(actual, i) - e) > tolerance * (1 + Math.abs(e))) {
      throw new Error(`element ${i}: ${at(actual, i)} vs ${e}`);
    }
  }
}

// shapes with ragged edges (odd sizes, 1s) as well as the lesson's
const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 13, 1], [1, 31, 9], [100, 784, 50], [100, 50, 10], [33, 65, 129]];

describe('tsKernels', () => {
  for (const [m, k, n] of SHAPES) {
    for (const Type of [Float32Array, Float64Array]) {
      const u = Type === Float32Array ? 2 ** -24 : 2 ** -53;
      describe(`${m}x${k}x${n} ${Type.name}`, () => {
        it('matmul: C = A·B', () => {
          const a = sparse(new Type(m * k), 1);
          const b = filled(new Type(k * n), 2);
          const c = filled(new Type(m * n), 3); // stale contents must be overwritten
          tsKernels.matmul(a, b, c, m, k, n);
          expectWithinBounds(c, reference(m, k, n, u, (i, j, p) => at(a, i * k + p) * at(b, p * n + j)));
        });
        it('matmulTransA: C = Aᵀ·B with A stored k×m', () => {
          const a = sparse(new Type(k * m), 4);
          const b = filled(new Type(k * n), 5);
          const c = filled(new Type(m * n), 6);
          tsKernels.matmulTransA(a, b, c, m, k, n);
          expectWithinBounds(c, reference(m, k, n, u, (i, j, p) => at(a, p * m + i) * at(b, p * n + j)));
        });
        it('matmulTransB: C = A·Bᵀ with B stored n×k', () => {
          const a = filled(new Type(m * k), 7);
          const b = filled(new Type(n * k), 8);
          const c = filled(new Type(m * n), 9);
          tsKernels.matmulTransB(a, b, c, m, k, n);
          expectWithinBounds(c, reference(m, k, n, u, (i, j, p) => at(a, i * k + p) * at(b, j * k + p)));
        });
      });
    }
  }

  it('writes only the part in use of longer arrays', () => {
    const c = new Float32Array(8).fill(42);
    tsKernels.matmul(Float32Array.from([1, 2]), Float32Array.from([3, 4]), c, 1, 2, 1);
    expect(Array.from(c)).toEqual([11, 42, 42, 42, 42, 42, 42, 42]);
  });

  it('biasActivate (identity), sumRows and axpy', () => {
    const c = Float64Array.from([1, 2, 3, 4, 5, 6]);
    tsKernels.biasActivate(c, Float64Array.from([10, 20, 30]), c, 2, 3, { kind: 'identity' });
    expect(Array.from(c)).toEqual([11, 22, 33, 14, 25, 36]);
    const sums = new Float64Array(3).fill(9);
    tsKernels.sumRows(c, sums, 2, 3);
    expect(Array.from(sums)).toEqual([25, 47, 69]);
    const y = Float64Array.from([1, 1, 1]);
    tsKernels.axpy(-0.5, Float64Array.from([2, 4, 6]), y, 3);
    expect(Array.from(y)).toEqual([0, -1, -2]);
  });

  it('sigmoid and its backward, with the bias gradient', () => {
    const x = Float64Array.from([0, 2, -2]);
    const y = new Float64Array(3);
    tsKernels.biasActivate(x, undefined, y, 1, 3, { kind: 'sigmoid' });
    expect(y[0]).toBe(0.5);
    expect(y[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(y[1]! + y[2]!).toBeCloseTo(1, 15);
    const dx = new Float64Array(3);
    const dbias = new Float64Array(3);
    tsKernels.activationBackward(y, Float64Array.from([1, 2, 3]), dx, 1, 3, { kind: 'sigmoid' }, dbias);
    expect(dx[0]).toBe(0.25);
    expect(dx[1]).toBeCloseTo(2 * y[1]! * (1 - y[1]!), 15);
    expect(Array.from(dbias)).toEqual(Array.from(dx));
  });

  it('leaky ReLU keeps positive values and scales the rest, forward and backward (from the output)', () => {
    const f = { kind: 'leaky-relu', slope: 0.5 } as const;
    const y = new Float64Array(4);
    tsKernels.biasActivate(Float64Array.from([2, -2, 0, -0.5]), undefined, y, 2, 2, f);
    expect(Array.from(y)).toEqual([2, -1, 0, -0.25]);
    const dx = new Float64Array(4);
    tsKernels.activationBackward(y, Float64Array.from([1, 1, 1, 1]), dx, 2, 2, f);
    expect(Array.from(dx)).toEqual([1, 0.5, 0.5, 0.5]);
  });

  it('softmaxCrossEntropy: loss, gradient, and stability with large logits', () => {
    // row 0: logits (0, ln 3) -> softmax (1/4, 3/4); label 1 -> loss -ln(3/4)
    // row 1: logits (1000, 1000) -> softmax (1/2, 1/2); label 0 -> loss ln 2
    const logits = Float64Array.from([0, Math.log(3), 1000, 1000]);
    const grad = new Float64Array(4);
    const sum = tsKernels.softmaxCrossEntropy(logits, Int32Array.from([1, 0]), 2, 2, grad, 0.5);
    expect(sum).toBeCloseTo(-Math.log(0.75) + Math.log(2), 12);
    // (softmax - onehot) * 0.5
    expectClose(grad, [0.125, -0.125, -0.25, 0.25], 1e-12);
  });

  it('countCorrect takes the first maximum on ties', () => {
    const scores = Float64Array.from([0.1, 0.9, 0.5, 0.5, 0.7, 0.2]);
    expect(tsKernels.countCorrect(scores, Int32Array.from([1, 0, 0]), 3, 2)).toBe(3);
    expect(tsKernels.countCorrect(scores, Int32Array.from([0, 1, 1]), 3, 2)).toBe(0);
  });

  it('softmaxCrossEntropy gives NaN for a label outside the classes', () => {
    expect(tsKernels.softmaxCrossEntropy(Float64Array.from([0, 1]), Int32Array.from([2]), 1, 2)).toBeNaN();
  });
});
