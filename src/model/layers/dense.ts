import { z } from 'zod';
import type { DType } from '../../core/dtype.js';
import { weightInit, zerosInit } from '../init.js';
import type { ActivationFunction, FloatArray, Kernels, SparseMatrix } from '../kernels/kernels.js';
import { Parameter } from '../parameter.js';
import { Workspace } from '../workspace.js';
import { vectorWidth, type Layer, type LayerKind } from './layer.js';

/**
 * The sparse products pay while at most this share of the inputs is
 * non-zero (MNIST images: about 19%; measured with `npm run bench`).
 */
export const SPARSE_MAX_DENSITY = 0.35;

const IDENTITY: ActivationFunction = { kind: 'identity' };

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
  /**
   * An activation applied to the output in the same pass as the bias (and
   * its derivative in the same pass as the bias gradient); default none.
   */
  readonly activation?: ActivationFunction;
}

/** y = f(x · W + b), with W stored [in × out]. */
export class Dense implements Layer {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly parameters: readonly Parameter[];
  private activationFunction: ActivationFunction;
  private readonly kernels: Kernels;
  private readonly inputGradient: boolean;
  private readonly output: Workspace;
  private readonly dz: Workspace;
  private readonly dx: Workspace;
  /** The compressed input of the last forward when the sparse path is on and took it, else undefined. */
  private compressed: SparseMatrix | undefined;
  private readonly sparseMatrix: SparseMatrix | undefined;
  private input: FloatArray | undefined;
  private y: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    options: DenseOptions,
  ) {
    const { kernels, dtype } = options;
    this.kernels = kernels;
    this.inputGradient = options.inputGradient;
    this.activationFunction = options.activation ?? IDENTITY;
    this.weight = new Parameter(`${options.name}.weight`, [inputSize, outputSize], dtype, kernels.allocate);
    this.bias = new Parameter(`${options.name}.bias`, [outputSize], dtype, kernels.allocate);
    this.parameters = [this.weight, this.bias];
    this.output = new Workspace(dtype, kernels.allocate);
    this.dz = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
    this.sparseMatrix = (options.sparseInput ?? !options.inputGradient) ? kernels.sparseMatrix() : undefined;
  }

  /** The activation computed with the bias (identity when none). */
  get activation(): ActivationFunction {
    return this.activationFunction;
  }

  absorbActivation(f: ActivationFunction): boolean {
    if (this.activationFunction.kind !== 'identity' || this.y !== undefined) return false;
    this.activationFunction = f;
    return true;
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const { kernels, inputSize, outputSize, sparseMatrix } = this;
    const y = this.output.take(rows * outputSize);
    const sparse = sparseMatrix !== undefined && kernels.compress(x, rows, inputSize, sparseMatrix, SPARSE_MAX_DENSITY);
    this.compressed = sparse ? sparseMatrix : undefined;
    if (sparse) kernels.sparseMatmul(sparseMatrix, this.weight.value, y, outputSize);
    else kernels.matmul(x, this.weight.value, y, rows, inputSize, outputSize);
    return this.finish(x, y, rows);
  }

  forwardSparse(input: SparseMatrix, rows: number): FloatArray {
    if (input.rows !== rows || input.cols !== this.inputSize) {
      throw new RangeError(`Dense: input of ${input.rows}x${input.cols} values, expected ${rows}x${this.inputSize}`);
    }
    const y = this.output.take(rows * this.outputSize);
    this.kernels.sparseMatmul(input, this.weight.value, y, this.outputSize);
    this.compressed = input;
    return this.finish(undefined, y, rows);
  }

  /** Bias and activation in place on the product y; keeps what backward needs. */
  private finish(x: FloatArray | undefined, y: FloatArray, rows: number): FloatArray {
    this.kernels.biasActivate(y, this.bias.value, y, rows, this.outputSize, this.activationFunction);
    this.input = x;
    this.y = y;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray | undefined {
    const { input: x, y, compressed } = this;
    if (y === undefined || (x === undefined && compressed === undefined)) throw new Error('Dense.backward called before forward');
    const { kernels, inputSize, outputSize } = this;
    let dz = dy;
    if (this.activationFunction.kind === 'identity') kernels.sumRows(dy, this.bias.grad, rows, outputSize);
    else {
      dz = this.dz.take(rows * outputSize);
      kernels.activationBackward(y, dy, dz, rows, outputSize, this.activation, this.bias.grad);
    }
    if (compressed !== undefined) kernels.sparseMatmulTransA(compressed, dz, this.weight.grad, outputSize);
    else kernels.matmulTransA(x!, dz, this.weight.grad, inputSize, rows, outputSize);
    if (!this.inputGradient) return undefined;
    const dx = this.dx.take(rows * inputSize);
    kernels.matmulTransB(dz, this.weight.value, dx, rows, outputSize, inputSize);
    return dx;
  }
}

/** A fully connected layer of `units` outputs: {"type":"dense","units":50}. */
export interface DenseSpec {
  readonly type: 'dense';
  readonly units: number;
}

/**
 * Weights `{name}.weight` [in, units] drawn from the init in layer order,
 * bias `{name}.bias` [units] zero; named dense.0, dense.1, ... The first
 * layer starts from the batch's non-zeros and computes no input gradient.
 */
export const denseKind: LayerKind<DenseSpec> = {
  type: 'dense',
  schema: z.strictObject({ type: z.literal('dense'), units: z.int().positive() }),
  label: (spec) => `dense:${spec.units}`,
  outputShape: (spec, input) => (vectorWidth(input), [spec.units]),
  tensors: (spec, input) => [
    { name: 'weight', shape: [vectorWidth(input), spec.units], parameter: true },
    { name: 'bias', shape: [spec.units], parameter: true },
  ],
  name: (_spec, names) => names.next('dense'),
  build(spec, context) {
    const inputs = vectorWidth(context.input);
    const { kernels, dtype } = context;
    const dense = new Dense(inputs, spec.units, { name: context.name, kernels, dtype, inputGradient: context.inputGradient, sparseInput: context.takesData });
    weightInit(context.init, inputs, spec.units)(dense.weight.value, context.initRandom);
    zerosInit(dense.bias.value, context.initRandom);
    return dense;
  },
};
