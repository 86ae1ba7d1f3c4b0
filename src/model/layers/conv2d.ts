import { z } from 'zod';
import type { DType } from '../../core/dtype.js';
import { weightInit, zerosInit } from '../init.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Parameter } from '../parameter.js';
import { Workspace } from '../workspace.js';
import type { Layer, LayerKind } from './layer.js';
import { outputShapeOf, windowGeometry } from './window.js';

export interface Conv2dOptions {
  readonly name: string;
  readonly kernels: Kernels;
  readonly dtype: DType;
  /** False for the first layer: nothing needs the gradient of the data. */
  readonly inputGradient: boolean;
}

/**
 * A 2-d convolution (cross-correlation, as PyTorch's Conv2d) of images
 * [channels, height, width] with `outChannels` filters, weights stored
 * [out, in, size, size]. The batch's windows become the columns of one
 * matrix (im2col), so all the multiply-adds of a step are three products:
 * Y = W · cols, dW = dY · colsᵀ, dcols = Wᵀ · dY.
 */
export class Conv2d implements Layer {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly parameters: readonly Parameter[];
  private readonly kernels: Kernels;
  private readonly inputGradient: boolean;
  /** The windows of the last forward, [channels·size² × rows·positions]; the input's gradient by window in backward. */
  private readonly cols: Workspace;
  /** W · cols and its gradient: [outChannels × rows·positions]. */
  private readonly product: Workspace;
  private readonly output: Workspace;
  private readonly ones: Workspace;
  private readonly dx: Workspace;
  private forwardRows = -1;
  /** How many values of `ones` hold 1: a larger batch grows (and refills) it, a smaller one takes its start. */
  private onesFilled = 0;

  constructor(
    readonly geometry: WindowGeometry,
    readonly outChannels: number,
    options: Conv2dOptions,
  ) {
    const { kernels, dtype, name } = options;
    const { channels, size } = geometry;
    this.kernels = kernels;
    this.inputGradient = options.inputGradient;
    this.weight = new Parameter(`${name}.weight`, [outChannels, channels, size, size], dtype, kernels.allocate);
    this.bias = new Parameter(`${name}.bias`, [outChannels], dtype, kernels.allocate);
    this.parameters = [this.weight, this.bias];
    this.cols = new Workspace(dtype, kernels.allocate);
    this.product = new Workspace(dtype, kernels.allocate);
    this.output = new Workspace(dtype, kernels.allocate);
    this.ones = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

  /** Values per window: channels · size². */
  private get patch(): number {
    return this.geometry.channels * this.geometry.size ** 2;
  }

  private get positions(): number {
    return this.geometry.outHeight * this.geometry.outWidth;
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const { kernels, geometry, outChannels, patch, positions } = this;
    const columns = rows * positions;
    const cols = this.cols.take(patch * columns);
    kernels.im2col(x, cols, geometry, rows);
    const product = this.product.take(outChannels * columns);
    kernels.matmul(this.weight.value, cols, product, outChannels, patch, columns);
    const y = this.output.take(rows * outChannels * positions);
    kernels.transposeBlocks(product, y, 1, outChannels, rows, positions, this.bias.value);
    this.forwardRows = rows;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray | undefined {
    if (this.forwardRows !== rows) throw new Error('Conv2d.backward called before forward');
    const { kernels, geometry, outChannels, patch, positions } = this;
    const columns = rows * positions;
    const dProduct = this.product.take(outChannels * columns);
    kernels.transposeBlocks(dy, dProduct, 1, rows, outChannels, positions);
    const cols = this.cols.take(patch * columns);
    kernels.matmulTransB(dProduct, cols, this.weight.grad, outChannels, columns, patch);
    // the bias gradient sums each channel's row: a product with a column of ones
    const ones = this.ones.take(columns);
    if (this.onesFilled < columns) {
      ones.fill(1);
      this.onesFilled = columns;
    }
    kernels.matmul(dProduct, ones, this.bias.grad, outChannels, columns, 1);
    this.forwardRows = -1;
    if (!this.inputGradient) return undefined;
    // the windows are no longer needed: their buffer takes their gradient
    kernels.matmulTransA(this.weight.value, dProduct, cols, patch, outChannels, columns);
    const dx = this.dx.take(rows * geometry.channels * geometry.height * geometry.width);
    kernels.col2im(cols, dx, geometry, rows);
    return dx;
  }
}

/**
 * A convolution giving `channels` feature maps with square kernels of
 * `kernel` pixels: {"type":"conv2d","channels":16,"kernel":5,"stride":1,"padding":0}.
 */
export interface Conv2dSpec {
  readonly type: 'conv2d';
  readonly channels: number;
  readonly kernel: number;
  /** Pixels between windows (default 1). */
  readonly stride?: number;
  /** Zeros added on each side of the input (default 0). */
  readonly padding?: number;
}

function geometryOf(spec: Conv2dSpec, input: readonly number[]): WindowGeometry {
  return windowGeometry(input, spec.kernel, spec.stride ?? 1, spec.padding ?? 0, 'kernel');
}

/**
 * On [channels, height, width]: weights `{name}.weight` [channels, in,
 * kernel, kernel] (PyTorch's layout) drawn from the init in layer order
 * with fan-in in·kernel² and fan-out channels·kernel², bias `{name}.bias`
 * [channels] zero; named conv2d.0, conv2d.1, ...
 */
export const conv2dKind: LayerKind<Conv2dSpec> = {
  type: 'conv2d',
  schema: z.strictObject({
    type: z.literal('conv2d'),
    channels: z.int().positive(),
    kernel: z.int().positive(),
    stride: z.int().positive().optional(),
    padding: z.int().min(0).optional(),
  }),
  label: (spec) =>
    `conv2d:${spec.channels}:${spec.kernel}${(spec.stride ?? 1) !== 1 ? ` stride ${spec.stride}` : ''}${(spec.padding ?? 0) !== 0 ? ` padding ${spec.padding}` : ''}`,
  outputShape: (spec, input) => outputShapeOf(geometryOf(spec, input), spec.channels),
  tensors: (spec, input) => {
    const { channels } = geometryOf(spec, input);
    return [
      { name: 'weight', shape: [spec.channels, channels, spec.kernel, spec.kernel], parameter: true },
      { name: 'bias', shape: [spec.channels], parameter: true },
    ];
  },
  workValues: (spec, input) => {
    const g = geometryOf(spec, input);
    return g.channels * spec.kernel ** 2 * g.outHeight * g.outWidth;
  },
  name: (_spec, names) => names.next('conv2d'),
  build(spec, context) {
    const geometry = geometryOf(spec, context.input);
    const { kernels, dtype } = context;
    const conv = new Conv2d(geometry, spec.channels, { name: context.name, kernels, dtype, inputGradient: context.inputGradient });
    const area = spec.kernel ** 2;
    weightInit(context.init, geometry.channels * area, spec.channels * area)(conv.weight.value, context.initRandom);
    zerosInit(conv.bias.value, context.initRandom);
    return conv;
  },
};
