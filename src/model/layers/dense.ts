import type { DType } from '../dtype.js';
import type { FloatArray, Kernels, SparseMatrix } from '../kernels/kernels.js';
import { Parameter } from '../parameter.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';

/**
 * The sparse products pay while at most this share of the inputs is
 * non-zero (MNIST images: about 19%; measured with `npm run bench`).
 */
export const SPARSE_MAX_DENSITY = 0.35;

export interface DenseOptions {
  readonly name: string;
  readonly kernels: Kernels;
  readonly dtype: DType;
  /** False for the first layer: nothing needs the gradient of the data. */
  readonly inputGradient: boolean;
  /**
   * Multiply by the input's non-zeros only when few enough are non-zero
   * (default: for the first layer, whose input is data). Same values as
   * the dense product up to float rounding.
   */
  readonly sparseInput?: boolean;
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
  /** The compressed input, when the sparse path is on. */
  private readonly compressed: SparseMatrix | undefined;
  private input: FloatArray | undefined;
  /** Whether the last forward used `compressed`. */
  private sparse = false;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    options: DenseOptions,
  ) {
    const { kernels, dtype } = options;
    this.kernels = kernels;
    this.inputGradient = options.inputGradient;
    this.weight = new Parameter(`${options.name}.weight`, [inputSize, outputSize], dtype, kernels.allocate);
    this.bias = new Parameter(`${options.name}.bias`, [outputSize], dtype, kernels.allocate);
    this.parameters = [this.weight, this.bias];
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
    this.compressed = (options.sparseInput ?? !options.inputGradient) ? kernels.sparseMatrix() : undefined;
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const { kernels, inputSize, outputSize, compressed } = this;
    const y = this.output.take(rows * outputSize);
    this.sparse = compressed !== undefined && kernels.compress(x, rows, inputSize, compressed, SPARSE_MAX_DENSITY);
    if (this.sparse) kernels.sparseMatmul(compressed!, this.weight.value, y, outputSize);
    else kernels.matmul(x, this.weight.value, y, rows, inputSize, outputSize);
    kernels.addBias(y, this.bias.value, rows, outputSize);
    this.input = x;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray | undefined {
    const x = this.input;
    if (x === undefined) throw new Error('Dense.backward called before forward');
    const { kernels, inputSize, outputSize } = this;
    if (this.sparse) kernels.sparseMatmulTransA(this.compressed!, dy, this.weight.grad, outputSize);
    else kernels.matmulTransA(x, dy, this.weight.grad, inputSize, rows, outputSize);
    kernels.sumRows(dy, this.bias.grad, rows, outputSize);
    if (!this.inputGradient) return undefined;
    const dx = this.dx.take(rows * inputSize);
    kernels.matmulTransB(dy, this.weight.value, dx, rows, outputSize, inputSize);
    return dx;
  }
}
