import { z } from 'zod';
import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer, LayerKind } from './layer.js';
import { outputShapeOf, poolFields, poolGeometry, poolLabel } from './window.js';

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

/** On [channels, height, width] whose windows tile it exactly; holds no tensors. */
export const avgPoolKind: LayerKind<AvgPoolSpec> = {
  type: 'avg-pool',
  schema: z.strictObject({ type: z.literal('avg-pool'), ...poolFields }),
  label: poolLabel,
  outputShape: (spec, input) => outputShapeOf(poolGeometry(input, spec.size, spec.stride ?? spec.size), input[0]!),
  tensors: () => [],
  build: (spec, context) => new AvgPool2d(poolGeometry(context.input, spec.size, spec.stride ?? spec.size), context.kernels, context.dtype),
};
