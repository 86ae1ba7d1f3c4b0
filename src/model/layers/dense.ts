import type { DType } from '../dtype.js';
import type { FloatArray, Kernels } from '../kernels/kernels.js';
import { Parameter } from '../parameter.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';

export interface DenseOptions {
  readonly name: string;
  readonly kernels: Kernels;
  readonly dtype: DType;
  /** False for the first layer: nothing needs the gradient of the data. */
  readonly inputGradient: boolean;
}

/** y = x · W + b, with W stored [in × out]. */
export class Dense implements Layer {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly parameters: readonly Parameter[];
  private readonly kernels: Kernels;
  private readonly inputGradient: boolean;
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private input: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    options: DenseOptions,
  ) {
    this.kernels = options.kernels;
    this.inputGradient = options.inputGradient;
    this.weight = new Parameter(`${options.name}.weight`, [inputSize, outputSize], options.dtype);
    this.bias = new Parameter(`${options.name}.bias`, [outputSize], options.dtype);
    this.parameters = [this.weight, this.bias];
    this.output = new Workspace(options.dtype);
    this.dx = new Workspace(options.dtype);
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const y = this.output.take(rows * this.outputSize);
    this.kernels.matmul(x, this.weight.value, y, rows, this.inputSize, this.outputSize);
    this.kernels.addBias(y, this.bias.value, rows, this.outputSize);
    this.input = x;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray | undefined {
    const x = this.input;
    if (x === undefined) throw new Error('Dense.backward called before forward');
    const { kernels, inputSize, outputSize } = this;
    kernels.matmulTransA(x, dy, this.weight.grad, inputSize, rows, outputSize);
    kernels.sumRows(dy, this.bias.grad, rows, outputSize);
    if (!this.inputGradient) return undefined;
    const dx = this.dx.take(rows * inputSize);
    kernels.matmulTransB(dy, this.weight.value, dx, rows, outputSize, inputSize);
    return dx;
  }
}
