import type { FloatArray, SparseMatrix } from './kernels.js';

/** Compressed sparse rows: row i's non-zeros are index/value[rowStart[i] .. rowStart[i+1]), in column order. */
export class TsSparseMatrix implements SparseMatrix {
  rows = 0;
  cols = 0;
  nonZeros = 0;
  rowStart = new Int32Array(1);
  index = new Int32Array(0);
  /** float64 holds float32 and float64 values exactly. */
  value = new Float64Array(0);
}

function own(s: SparseMatrix): TsSparseMatrix {
  if (!(s instanceof TsSparseMatrix)) throw new TypeError('sparse matrix made by other kernels');
  return s;
}

export function compress(a: FloatArray, m: number, k: number, into: SparseMatrix, maxDensity: number): boolean {
  const s = own(into);
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

export function sparseMatmul(sparse: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void {
  const { rows, rowStart, index, value } = own(sparse);
  c.fill(0, 0, rows * n);
  for (let i = 0; i < rows; i++) {
    const cRow = i * n;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      const av = value[e]!;
      const bRow = index[e]! * n;
      for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + av * b[bRow + j]!;
    }
  }
}

export function sparseMatmulTransA(sparse: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void {
  const { rows, cols, rowStart, index, value } = own(sparse);
  c.fill(0, 0, cols * n);
  for (let i = 0; i < rows; i++) {
    const bRow = i * n;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      const av = value[e]!;
      const cRow = index[e]! * n;
      for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + av * b[bRow + j]!;
    }
  }
}
