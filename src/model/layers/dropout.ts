import { z } from 'zod';
import type { Random } from '../../core/random.js';
import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import { shapeSize, type Layer, type LayerKind, type Mode } from './layer.js';

/**
 * Inverted dropout: in training each unit is kept with probability 1 - rate
 * and scaled by 1 / (1 - rate), so evaluation is the identity. The masks are
 * drawn from `random`, the layer's own seeded stream.
 */
export class Dropout implements Layer {
  readonly parameters = [];
  private readonly mask: Workspace;
  private readonly output: Workspace;
  private readonly dx: Workspace;

  constructor(
    readonly inputSize: number,
    readonly rate: number,
    readonly random: Random,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.mask = new Workspace(dtype, kernels.allocate);
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

  forward(x: FloatArray, rows: number, mode: Mode): FloatArray {
    if (mode === 'eval' || this.rate === 0) return x;
    const length = rows * this.inputSize;
    const y = this.output.take(length);
    this.kernels.dropout(this.random.words, x, this.mask.take(length), y, length, 1 - this.rate);
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    if (this.rate === 0) return dy;
    const length = rows * this.inputSize;
    const dx = this.dx.take(length);
    this.kernels.multiply(dy, this.mask.take(length), dx, length);
    return dx;
  }
}

/** Inverted dropout of `rate`: {"type":"dropout","rate":0.5}. */
export interface DropoutSpec {
  readonly type: 'dropout';
  readonly rate: number;
}

const outOfRange = (issue: { readonly input?: unknown }): string => `must be in [0, 1), got ${String(issue.input)}`;

/** Any shape; the k-th dropout layer draws its masks from stream k of the seed's dropout streams. */
export const dropoutKind: LayerKind<DropoutSpec> = {
  type: 'dropout',
  schema: z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0, { error: outOfRange }).lt(1, { error: outOfRange }) }),
  label: (spec) => `dropout:${spec.rate}`,
  outputShape: (_spec, input) => input,
  tensors: () => [],
  drawsInTraining: true,
  build: (spec, context) => new Dropout(shapeSize(context.input), spec.rate, context.trainingRandom(), context.kernels, context.dtype),
};
