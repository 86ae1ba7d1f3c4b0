import type { DType, FloatArray } from './dtype.js';

/**
 * The non-zeros of a matrix, row by row, made by one allocator's
 * `sparseMatrix()` and filled by its `compress…` methods; opaque to everyone else.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nonZeros: number;
}

/** The answer of work started now and finished later: `wait()` blocks until it is there (and may do the work itself). */
export interface Pending<T> {
  wait(): T;
}

/**
 * Where batches are made: the arrays they live in and the conversion of
 * bytes into them. The kernels implement it (so their products read the
 * batches in place); `plainAllocator` is the TypeScript one.
 */
export interface Allocator {
  /**
   * A zeroed array (for wasm kernels: inside the module's memory, so nothing
   * is copied per call). Take buffers once per shape: the memory is not
   * given back before the allocator goes.
   */
  allocate(dtype: DType, length: number): FloatArray;
  /** An empty container for the compress methods. */
  sparseMatrix(): SparseMatrix;
  /** x[at + i] = bytes[i] · scale + offset for every byte, computed in double precision and rounded once */
  bytesToFloats(bytes: Uint8Array, x: FloatArray, at: number, scale: number, offset: number): void;
  /**
   * Row r of X[rows × cols] = source[offsets[r] .. offsets[r] + cols) · scale + offset, as bytesToFloats
   * converts: a batch gathered from its data set's bytes in one call.
   */
  gatherBytes(source: Uint8Array, offsets: Int32Array, rows: number, cols: number, x: FloatArray, scale: number, offset: number): void;
  /**
   * Fills `into` with the non-zeros of the batch gatherBytes would make
   * (same arguments), without making it; returns false when more than
   * maxDensity of the values are non-zero (the dense batch should then be
   * used), and when a zero byte does not convert to 0.
   */
  compressBytes(
    source: Uint8Array, offsets: Int32Array, rows: number, cols: number, scale: number, offset: number, into: SparseMatrix, maxDensity: number,
  ): boolean;
  /**
   * compressBytes, on another thread when the allocator has one idle, so
   * that the next training batch is prepared while the current one trains.
   * `into` and the batch's bytes must stay untouched until `wait()` has returned.
   */
  compressBytesLater(
    source: Uint8Array, offsets: Int32Array, rows: number, cols: number, scale: number, offset: number, into: SparseMatrix, maxDensity: number,
  ): Pending<boolean>;
}
