import type { Allocator, SparseMatrix } from './allocator.js';
import { allocate, type FloatArray } from './dtype.js';

/** Compressed sparse rows: row i's non-zeros are index/value[rowStart[i] .. rowStart[i+1]), in column order. */
export class PlainSparseMatrix implements SparseMatrix {
  rows = 0;
  cols = 0;
  nonZeros = 0;
  rowStart = new Int32Array(1);
  index = new Int32Array(0);
  /** float64 holds float32 and float64 values exactly. */
  value = new Float64Array(0);
}

export function ownSparse(s: SparseMatrix): PlainSparseMatrix {
  if (!(s instanceof PlainSparseMatrix)) throw new TypeError('sparse matrix made by other kernels');
  return s;
}

/** Fills `into` with the non-zeros of A[m×k], unless there are more than maxDensity · m · k of them (then false). */
export function compress(a: FloatArray, m: number, k: number, into: SparseMatrix, maxDensity: number): boolean {
  const s = ownSparse(into);
  const capacity = Math.floor(maxDensity * m * k);
  if (s.rowStart.length < m + 1) s.rowStart = new Int32Array(m + 1);
  if (s.index.length < capacity) {
    s.index = new Int32Array(capacity);
    s.value = new Float64Array(capacity);
  }
  let count = 0;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p]!;
      if (v === 0) continue;
      if (count >= capacity) return false;
      s.index[count] = p;
      s.value[count] = v;
      count++;
    }
    s.rowStart[i + 1] = count;
  }
  s.rows = m;
  s.cols = k;
  s.nonZeros = count;
  return true;
}

/** Batches in plain typed arrays, converted in TypeScript: normalize's default and the TypeScript kernels' own. */
export const plainAllocator: Allocator = {
  allocate,
  sparseMatrix: () => new PlainSparseMatrix(),
  bytesToFloats(bytes, x, at, scale, offset) {
    for (let i = 0; i < bytes.length; i++) x[at + i] = bytes[i]! * scale + offset;
  },
  gatherBytes(source, offsets, rows, cols, x, scale, offset) {
    for (let r = 0; r < rows; r++) plainAllocator.bytesToFloats(source.subarray(offsets[r]!, offsets[r]! + cols), x, r * cols, scale, offset);
  },
  compressBytes(source, offsets, rows, cols, scale, offset, into, maxDensity) {
    if (Math.fround(0 * scale + offset) !== 0) return false;
    const x = new Float32Array(rows * cols);
    plainAllocator.gatherBytes(source, offsets, rows, cols, x, scale, offset);
    return compress(x, rows, cols, into, maxDensity);
  },
  compressBytesLater(source, offsets, rows, cols, scale, offset, into, maxDensity) {
    const found = plainAllocator.compressBytes(source, offsets, rows, cols, scale, offset, into, maxDensity);
    return { wait: () => found };
  },
};
