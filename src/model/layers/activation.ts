import { z } from 'zod';
import type { DType } from '../../core/dtype.js';
import type { ActivationFunction, FloatArray, Kernels } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import { shapeSize, type Layer, type LayerKind } from './layer.js';

import { HIDDEN_ACTIVATIONS, type HiddenActivation } from '../activation-names.js';

export { HIDDEN_ACTIVATIONS, type HiddenActivation };

/** Leaky ReLU's slope for negative inputs when none is given. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

/** y = f(x) element-wise (sigmoid, tanh, leaky ReLU); backward uses the kept output. */
export class ActivationLayer implements Layer {
  readonly parameters = [];
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private y: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
    readonly f: ActivationFunction,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

  get outputSize(): number {
    return this.inputSize;
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const y = this.output.take(rows * this.inputSize);
    this.kernels.biasActivate(x, undefined, y, rows, this.inputSize, this.f);
    this.y = y;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    const y = this.y;
    if (y === undefined) throw new Error('ActivationLayer.backward called before forward');
    const dx = this.dx.take(rows * this.inputSize);
    this.kernels.activationBackward(y, dy, dx, rows, this.inputSize, this.f);
    return dx;
  }
}

/** An element-wise activation: {"type":"activation","function":"leaky-relu","slope":0.01}. */
export interface ActivationSpec {
  readonly type: 'activation';
  readonly function: HiddenActivation;
  /** leaky-relu only: the slope for negative inputs (default DEFAULT_LEAKY_SLOPE). */
  readonly slope?: number;
}

/** The kernels' form of an activation: ReLU is leaky ReLU of slope 0. */
export function activationFunctionOf(spec: ActivationSpec): ActivationFunction {
  switch (spec.function) {
    case 'sigmoid':
    case 'tanh':
      return { kind: spec.function };
    case 'relu':
      return { kind: 'leaky-relu', slope: 0 };
    case 'leaky-relu':
      return { kind: 'leaky-relu', slope: spec.slope ?? DEFAULT_LEAKY_SLOPE };
  }
}

/** Any shape in, the same shape out; computed in the pass of the layer before when that layer can (dense). */
export const activationKind: LayerKind<ActivationSpec> = {
  type: 'activation',
  schema: z
    .strictObject({ type: z.literal('activation'), function: z.enum(HIDDEN_ACTIVATIONS), slope: z.number().min(0).lt(1).optional() })
    .refine((spec) => spec.slope === undefined || spec.function === 'leaky-relu', { message: 'only leaky-relu takes a slope', path: ['slope'] }),
  label: (spec) => spec.function,
  outputShape: (_spec, input) => input,
  tensors: () => [],
  build(spec, context) {
    const f = activationFunctionOf(spec);
    if (context.previous?.absorbActivation?.(f) === true) return undefined;
    return new ActivationLayer(shapeSize(context.input), f, context.kernels, context.dtype);
  },
};
