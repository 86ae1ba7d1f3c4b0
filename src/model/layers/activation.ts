import type { DType } from '../../core/dtype.js';
import type { ActivationFunction, FloatArray, Kernels } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';

/** y = f(x) element-wise (sigmoid, tanh, leaky ReLU); backward uses the kept output. */
export class ActivationLayer implements Layer {
  readonly parameters = [];
  readonly outputSize: number;
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private y: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
    readonly f: ActivationFunction,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.outputSize = inputSize;
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
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
