import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmKernels, tsKernels, type Kernels } from '../../src/index.js';

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

describe('sparse first-layer products', () => {
  const plain = createWasmKernels({ simd: 'plain' });
  const withThreads = createWasmKernels({ simd: 'plain', threads: 2 });
  afterAll(() => withThreads.close());

  /** Inputs with about `density` non-zeros, in the kernels' memory (as training batches are). */
  function sparseInput(kernels: Kernels, m: number, k: number, density: number, seed: number): Float32Array {
    const a = kernels.allocate('float32', m * k) as Float32Array;
    const noise = values(m * k, seed);
    for (let i = 0; i < a.length; i++) a[i] = (Math.abs(noise[i]!) * 1e4) % 1 < density ? noise[i]! : 0;
    return a;
  }

  for (const kernels of [tsKernels, plain]) {
    it(`${kernels.backend}: compress + sparse products equal the same kernels' dense products, bit for bit`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (m, k, n, seed) => {
          const a = sparseInput(kernels, m, k, 0.2, seed);
          const b = values(k * n, seed + 1);
          const dy = values(m * n, seed + 2);
          const s = kernels.sparseMatrix();
          expect(kernels.compress(a, m, k, s, 1)).toBe(true);
          expect(s.nonZeros).toBe(a.filter((v) => v !== 0).length);
          const dense = new Float32Array(m * n);
          const sparse = new Float32Array(m * n + 2).fill(Number.NaN);
          kernels.matmul(a, b, dense, m, k, n);
          kernels.sparseMatmul(s, b, sparse, n);
          expect(sparse.subarray(0, m * n)).toEqual(dense);
          expect(Number.isNaN(sparse[m * n]!)).toBe(true);
          const denseGrad = new Float32Array(k * n);
          const sparseGrad = new Float32Array(k * n).fill(Number.NaN);
          kernels.matmulTransA(a, dy, denseGrad, k, m, n);
          kernels.sparseMatmulTransA(s, dy, sparseGrad, n);
          expect(sparseGrad).toEqual(denseGrad);
        }),
        { numRuns: 120 },
      );
    });

    it(`${kernels.backend}: compress declines a matrix denser than asked`, () => {
      const a = sparseInput(kernels, 10, 100, 0.6, 3);
      const s = kernels.sparseMatrix();
      expect(kernels.compress(a, 10, 100, s, 0.3)).toBe(false);
      expect(kernels.compress(a, 10, 100, s, 0.9)).toBe(true);
    });
  }

  it('wasm sparse products agree with the TypeScript reference within float32 rounding', () => {
    const [m, k, n] = [100, 784, 50];
    const a = sparseInput(plain, m, k, 0.19, 11);
    const b = values(k * n, 12);
    const s = plain.sparseMatrix();
    const t = tsKernels.sparseMatrix();
    expect(plain.compress(a, m, k, s, 0.35)).toBe(true);
    expect(tsKernels.compress(a, m, k, t, 0.35)).toBe(true);
    const expected = new Float32Array(m * n);
    const actual = new Float32Array(m * n);
    tsKernels.sparseMatmul(t, b, expected, n);
    plain.sparseMatmul(s, b, actual, n);
    for (let i = 0; i < m * n; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-6 * k * 4);
  });
});

describe('threads', () => {
  const one = createWasmKernels({ simd: 'plain' });
  const two = createWasmKernels({ simd: 'plain', threads: 2 });
  afterAll(() => two.close());

  it('split large products across threads with the same results, bit for bit, as one thread', () => {
    for (const [m, k, n] of [[257, 300, 130], [1000, 784, 50], [128, 1024, 67]] as const) {
      const results = [one, two].map((kernels) => {
        const a = kernels.allocate('float32', m * k) as Float32Array;
        a.set(values(m * k, m));
        const b = kernels.allocate('float32', k * n) as Float32Array;
        b.set(values(k * n, k));
        const bt = kernels.allocate('float32', n * k) as Float32Array;
        bt.set(values(n * k, n));
        const dy = kernels.allocate('float32', m * n) as Float32Array;
        dy.set(values(m * n, 5));
        const out = (length: number) => kernels.allocate('float32', length) as Float32Array;
        const c = out(m * n);
        kernels.matmul(a, b, c, m, k, n);
        const ct = out(k * n);
        kernels.matmulTransA(a, dy, ct, k, m, n);
        const cb = out(m * n);
        kernels.matmulTransB(a, bt, cb, m, k, n);
        const s = kernels.sparseMatrix();
        kernels.compress(a, m, k, s, 1);
        const cs = out(m * n);
        kernels.sparseMatmul(s, b, cs, n);
        const cst = out(k * n);
        kernels.sparseMatmulTransA(s, dy, cst, n);
        return [c, ct, cb, cs, cst].map((array) => Array.from(array));
      });
      expect(results[1]).toEqual(results[0]);
    }
  });
});

describe('element-wise kernels in wasm', () => {
  it('bytesToFloats and axpy compute as JavaScript does (double precision, rounded once)', () => {
    const wasm = createWasmKernels();
    const bytes = Uint8Array.from({ length: 803 }, (_, i) => (i * 97) % 256);
    const expected = new Float32Array(900);
    const actual = wasm.allocate('float32', 900) as Float32Array;
    tsKernels.bytesToFloats(bytes, expected, 50, 1 / 255, -0.1307);
    wasm.bytesToFloats(bytes, actual, 50, 1 / 255, -0.1307);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    const x = wasm.allocate('float32', 1001) as Float32Array;
    x.set(values(1001, 4));
    const y = wasm.allocate('float32', 1001) as Float32Array;
    y.set(values(1001, 5));
    const reference = Float32Array.from(y);
    tsKernels.axpy(-0.1, x, reference, 1001);
    wasm.axpy(-0.1, x, y, 1001);
    expect(Array.from(y)).toEqual(Array.from(reference));
  });
});
