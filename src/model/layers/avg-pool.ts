import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';
import { poolKind } from './window.js';

/** The mean of each window of each channel; backward spreads the gradient evenly over the window. */
export class AvgPool2d implements Layer {
  readonly parameters = [];
  private readonly output: Workspace;
  private readonly dx: Workspace;

  constructor(
    readonly geometry: WindowGeometry,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

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

/** Average pooling over size × size windows every `stride` pixels (default: size): {"type":"avg-pool","size":2}. */
export interface AvgPoolSpec {
  readonly type: 'avg-pool';
  readonly size: number;
  readonly stride?: number;
}

export const avgPoolKind = poolKind<AvgPoolSpec>('avg-pool', (g, kernels, dtype) => new AvgPool2d(g, kernels, dtype));
