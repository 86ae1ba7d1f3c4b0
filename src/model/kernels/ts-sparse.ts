import { ownSparse } from '../../core/plain-allocator.js';
import type { FloatArray } from '../../core/dtype.js';
import type { SparseMatrix } from '../../core/allocator.js';

export function sparseMatmul(sparse: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void {
  const { rows, rowStart, index, value } = ownSparse(sparse);
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
  const { rows, cols, rowStart, index, value } = ownSparse(sparse);
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
