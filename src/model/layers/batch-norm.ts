import { z } from 'zod';
import { allocate, type DType } from '../../core/dtype.js';
import type { FloatArray, Kernels } from '../kernels/kernels.js';
import { Parameter, type StateTensor } from '../parameter.js';
import { Workspace } from '../workspace.js';
import type { Layer, LayerKind, Mode, Shape } from './layer.js';

export interface BatchNormOptions {
  readonly name: string;
  /** running ← momentum · running + (1 - momentum) · batch statistic */
  readonly momentum: number;
  readonly eps: number;
  readonly kernels: Kernels;
  readonly dtype: DType;
  /**
   * Values per unit and sample: 1 for a vector; height · width for feature
   * maps [units = channels, height, width], normalised per channel over the
   * batch and all positions (default 1).
   */
  readonly positions?: number;
}

/**
 * Batch normalisation of each unit: in training, by the batch's mean and
 * (biased) variance, updating running averages of both; in evaluation, by
 * the running averages. y = gamma · x̂ + beta. A unit of feature maps is a
 * channel: its values at every position of every sample are its batch.
 */
export class BatchNorm implements Layer {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  readonly runningMean: StateTensor;
  readonly runningVar: StateTensor;
  readonly parameters: readonly Parameter[];
  readonly state: readonly StateTensor[];
  private readonly kernels: Kernels;
  private readonly momentum: number;
  private readonly eps: number;
  private readonly mean: FloatArray;
  private readonly variance: FloatArray;
  private readonly invStd: FloatArray;
  private readonly xhat: Workspace;
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private readonly positions: number;
  /** Feature maps with the channel last, [rows · positions × units], which the kernels normalise by column. */
  private readonly channelsLast: Workspace;
  private readonly channelsLastOut: Workspace;

  constructor(
    readonly inputSize: number,
    options: BatchNormOptions,
  ) {
    const { name, dtype } = options;
    this.kernels = options.kernels;
    this.momentum = options.momentum;
    this.eps = options.eps;
    this.gamma = new Parameter(`${name}.gamma`, [inputSize], dtype, options.kernels.allocate);
    this.beta = new Parameter(`${name}.beta`, [inputSize], dtype, options.kernels.allocate);
    this.gamma.value.fill(1);
    this.runningMean = { name: `${name}.running_mean`, shape: [inputSize], value: allocate(dtype, inputSize) };
    this.runningVar = { name: `${name}.running_var`, shape: [inputSize], value: allocate(dtype, inputSize).fill(1) };
    this.parameters = [this.gamma, this.beta];
    this.state = [this.runningMean, this.runningVar];
    this.mean = allocate(dtype, inputSize);
    this.variance = allocate(dtype, inputSize);
    this.invStd = allocate(dtype, inputSize);
    this.xhat = new Workspace(dtype);
    this.output = new Workspace(dtype, options.kernels.allocate);
    this.dx = new Workspace(dtype, options.kernels.allocate);
    this.positions = options.positions ?? 1;
    this.channelsLast = new Workspace(dtype, options.kernels.allocate);
    this.channelsLastOut = new Workspace(dtype, options.kernels.allocate);
  }

  forward(x: FloatArray, rows: number, mode: Mode): FloatArray {
    if (this.positions === 1) return this.forwardColumns(x, rows, mode, this.output);
    const { kernels, positions, inputSize: n } = this;
    const xt = this.channelsLast.take(rows * positions * n);
    kernels.transposeBlocks(x, xt, rows, n, positions, 1);
    const yt = this.forwardColumns(xt, rows * positions, mode, this.channelsLastOut);
    const y = this.output.take(rows * n * positions);
    kernels.transposeBlocks(yt, y, rows, positions, n, 1);
    return y;
  }

  /** Backward of a training-mode forward (batch statistics). */
  backward(dy: FloatArray, rows: number): FloatArray {
    if (this.positions === 1) return this.backwardColumns(dy, rows, this.dx);
    const { kernels, positions, inputSize: n } = this;
    const dyt = this.channelsLast.take(rows * positions * n);
    kernels.transposeBlocks(dy, dyt, rows, n, positions, 1);
    const dxt = this.backwardColumns(dyt, rows * positions, this.channelsLastOut);
    const dx = this.dx.take(rows * n * positions);
    kernels.transposeBlocks(dxt, dx, rows, positions, n, 1);
    return dx;
  }

  /** Normalises each column of x [rows × units] into `output`. */
  private forwardColumns(x: FloatArray, rows: number, mode: Mode, output: Workspace): FloatArray {
    const n = this.inputSize;
    const { mean, variance, invStd } = this;
    if (mode === 'train') {
      this.kernels.columnMoments(x, mean, variance, rows, n);
      const running = 1 - this.momentum;
      for (let j = 0; j < n; j++) {
        this.runningMean.value[j] = this.momentum * this.runningMean.value[j]! + running * mean[j]!;
        this.runningVar.value[j] = this.momentum * this.runningVar.value[j]! + running * variance[j]!;
        invStd[j] = 1 / Math.sqrt(variance[j]! + this.eps);
      }
    } else {
      mean.set(this.runningMean.value);
      for (let j = 0; j < n; j++) invStd[j] = 1 / Math.sqrt(this.runningVar.value[j]! + this.eps);
    }
    const xhat = this.xhat.take(rows * n);
    const y = output.take(rows * n);
    this.kernels.batchNormalize(x, mean, invStd, this.gamma.value, this.beta.value, xhat, y, rows, n);
    return y;
  }

  private backwardColumns(dy: FloatArray, rows: number, output: Workspace): FloatArray {
    const n = this.inputSize;
    const dx = output.take(rows * n);
    this.kernels.batchNormBackward(dy, this.xhat.take(rows * n), this.gamma.value, this.invStd, this.gamma.grad, this.beta.grad, dx, rows, n);
    return dx;
  }
}

/** Batch normalisation: {"type":"batch-norm","momentum":0.9,"eps":1e-5}. */
export interface BatchNormSpec {
  readonly type: 'batch-norm';
  /** running ← momentum · running + (1 - momentum) · batch statistic */
  readonly momentum: number;
  readonly eps: number;
}

/** The lesson's book's batch-norm settings. */
export const DEFAULT_BATCH_NORM: Omit<BatchNormSpec, 'type'> = { momentum: 0.9, eps: 1e-5 };

/** What batch norm normalises: the units of a vector, or the channels of feature maps [channels, height, width]. */
function normalisedUnits(input: Shape): { units: number; positions: number } {
  if (input.length === 1) return { units: input[0]!, positions: 1 };
  if (input.length === 3) return { units: input[0]!, positions: input[1]! * input[2]! };
  throw new Error(`needs a vector or feature maps [channels, height, width], got a [${input.join(', ')}] input`);
}

/**
 * Per unit of a vector, or per channel of feature maps: `gamma`, `beta`
 * (trained) and `running_mean`, `running_var` [units], named after the
 * layer it normalises (`dense.0.bn`, `conv2d.0.bn`), or batch_norm.{n}
 * when it follows none.
 */
export const batchNormKind: LayerKind<BatchNormSpec> = {
  type: 'batch-norm',
  schema: z.strictObject({ type: z.literal('batch-norm'), momentum: z.number().min(0).lt(1), eps: z.number().positive() }),
  label: () => 'batch-norm',
  outputShape: (_spec, input) => (normalisedUnits(input), input),
  tensors: (_spec, input) => {
    const shape = [normalisedUnits(input).units];
    return [
      { name: 'gamma', shape, parameter: true },
      { name: 'beta', shape, parameter: true },
      { name: 'running_mean', shape, parameter: false },
      { name: 'running_var', shape, parameter: false },
    ];
  },
  name: (_spec, names) => (names.previous !== undefined && !names.previous.endsWith('.bn') ? `${names.previous}.bn` : names.next('batch_norm')),
  build(spec, context) {
    const { units, positions } = normalisedUnits(context.input);
    return new BatchNorm(units, { name: context.name, momentum: spec.momentum, eps: spec.eps, kernels: context.kernels, dtype: context.dtype, positions });
  },
};
