import type { FloatArray } from '../kernels/kernels.js';
import { PoolLayer, poolKind, type PoolSpec } from './window.js';

/** The mean of each window of each channel; backward spreads the gradient evenly over the window. */
export class AvgPool2d extends PoolLayer {
  forward(x: FloatArray, rows: number): FloatArray {
    const { channels, outHeight, outWidth } = this.geometry;
    const y = this.output.take(rows * channels * outHeight * outWidth);
    this.kernels.avgPool(x, y, this.geometry, rows);
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    const { channels, height, width } = this.geometry;
    const dx = this.dx.take(rows * channels * height * width);
    this.kernels.avgPoolBackward(dy, dx, this.geometry, rows);
    return dx;
  }
}

/** Average pooling: {"type":"avg-pool","size":2}. */
export type AvgPoolSpec = PoolSpec<'avg-pool'>;

export const avgPoolKind = poolKind<AvgPoolSpec>('avg-pool', (g, kernels, dtype) => new AvgPool2d(g, kernels, dtype));
