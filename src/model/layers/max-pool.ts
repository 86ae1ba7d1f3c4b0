import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import { PoolLayer, poolKind, type PoolSpec } from './window.js';

/** The largest value of each window of each channel; backward sends the gradient to where it was. */
export class MaxPool2d extends PoolLayer {
  /** Where each window's largest value was, as kernels.maxPool keeps it. */
  private readonly argmax: Workspace;
  private forwardRows = -1;

  constructor(geometry: WindowGeometry, kernels: Kernels, dtype: DType) {
    super(geometry, kernels, dtype);
    this.argmax = new Workspace(dtype, kernels.allocate);
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const { channels, outHeight, outWidth } = this.geometry;
    const length = rows * channels * outHeight * outWidth;
    const y = this.output.take(length);
    this.kernels.maxPool(x, y, this.argmax.take(length), this.geometry, rows);
    this.forwardRows = rows;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    if (this.forwardRows !== rows) throw new Error('MaxPool2d.backward called before forward');
    const { channels, height, width, outHeight, outWidth } = this.geometry;
    const dx = this.dx.take(rows * channels * height * width);
    this.kernels.maxPoolBackward(dy, this.argmax.take(rows * channels * outHeight * outWidth), dx, this.geometry, rows);
    return dx;
  }
}

/** Max pooling: {"type":"max-pool","size":2}. */
export type MaxPoolSpec = PoolSpec<'max-pool'>;

export const maxPoolKind = poolKind<MaxPoolSpec>('max-pool', (g, kernels, dtype) => new MaxPool2d(g, kernels, dtype));
