import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmKernels, tsKernels } from '../../src/index.js';

const wasm = createWasmKernels();

/** Random float32 values, about half of them exactly zero (as in MNIST inputs), from an integer seed. */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x % 2 === 0 ? 0 : (x / 4294967296) * 4 - 2;
  }
  return out;
}

type Product = 'matmul' | 'matmulTransA' | 'matmulTransB';

function agree(product: Product, m: number, k: number, n: number, seed: number): void {
  const a = values(m * k, seed);
  const b = values(k * n, seed + 1);
  const expected = new Float32Array(m * n);
  const actual = new Float32Array(m * n + 3).fill(Number.NaN); // longer than needed: the tail stays untouched
  tsKernels[product](a, b, expected, m, k, n);
  wasm[product](a, b, actual, m, k, n);
  // float32 sums in another order: allow a few ulps of the sum of |terms| (at most k · 4 here)
  const tolerance = 1e-6 * k * 4;
  for (let i = 0; i < m * n; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
  expect(Array.from(actual.subarray(m * n)).every(Number.isNaN)).toBe(true);
}

describe('WebAssembly SIMD kernels agree with the TypeScript reference', () => {
  for (const product of ['matmul', 'matmulTransA', 'matmulTransB'] as const) {
    it(`${product} on random shapes, ragged edges included`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 37 }), fc.integer(), (m, k, n, seed) =>
          agree(product, m, k, n, seed),
        ),
        { numRuns: 150 },
      );
    });

    it(`${product} at the lesson's and a wide network's shapes`, () => {
      agree(product, 100, 784, 50, 7);
      agree(product, 128, 300, 257, 8);
    });
  }

  it('hands float64 arrays (the gradient checks) to the TypeScript kernels', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([5, 6, 7, 8]);
    const c = new Float64Array(4);
    wasm.matmul(a, b, c, 2, 2, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });
});
