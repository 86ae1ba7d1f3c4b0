import type { FloatArray } from './kernels/kernels.js';

/** A minibatch as the model sees it: `rows` inputs of `cols` values, row-major. */
export interface Batch {
  readonly rows: number;
  readonly cols: number;
  readonly x: FloatArray;
  readonly labels: Int32Array;
  /** Where each row came from in its dataset. */
  readonly indices: Int32Array;
}
