import type { SparseMatrix } from './allocator.js';
import type { FloatArray } from './dtype.js';

/** A minibatch as the model sees it: `rows` inputs of `cols` values, row-major. */
export interface Batch {
  readonly rows: number;
  readonly cols: number;
  /**
   * The shape of one row's values, whose product is `cols`: [cols] for flat
   * data, [channels, height, width] for images (what convolutions read).
   */
  readonly sampleShape: readonly number[];
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

/**
 * A sample's shape as batches carry it, from one item's dimensions in its
 * file: a vector stays [n]; a [height, width] image gets one channel,
 * [1, height, width]; three or more dimensions are kept as they are.
 */
export function sampleShapeOf(itemDims: readonly number[]): readonly number[] {
  return itemDims.length === 2 ? [1, ...itemDims] : [...itemDims];
}
