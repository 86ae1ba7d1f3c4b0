import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';
import { poolKind } from './window.js';

/** The largest value of each window of each channel; backward sends the gradient to where it was. */
export class MaxPool2d implements Layer {
  readonly parameters = [];
  private readonly output: Workspace;
  private readonly dx: Workspace;
  /** Where each window's largest value was, as kernels.maxPool keeps it. */
  private readonly argmax: Workspace;
  private forwardRows = -1;

  constructor(
    readonly geometry: WindowGeometry,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
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

/** Max pooling over size × size windows every `stride` pixels (default: size): {"type":"max-pool","size":2}. */
export interface MaxPoolSpec {
  readonly type: 'max-pool';
  readonly size: number;
  readonly stride?: number;
}

export const maxPoolKind = poolKind<MaxPoolSpec>('max-pool', (g, kernels, dtype) => new MaxPool2d(g, kernels, dtype));
