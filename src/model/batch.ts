import type { FloatArray, SparseMatrix } from './kernels/kernels.js';

/** A minibatch as the model sees it: `rows` inputs of `cols` values, row-major. */
export interface Batch {
  readonly rows: number;
  readonly cols: number;
  readonly x: FloatArray;
  readonly labels: Int32Array;
  /** Where each row came from in its dataset. */
  readonly indices: Int32Array;
  /**
   * The non-zeros of x, when they were found without making x (see
   * normalize's `sparse`): a first layer that can start from them (Dense)
   * does, and x is then never made.
   */
  readonly nonZeros?: SparseMatrix | undefined;
}
