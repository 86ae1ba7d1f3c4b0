import type { DType } from '../dtype.js';
import type { FloatArray, Kernels } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';

/** y = max(x, slope · x) element-wise: ReLU when slope is 0. Backward uses the kept input. */
export class LeakyRelu implements Layer {
  readonly parameters = [];
  readonly outputSize: number;
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private x: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
    readonly slope: number,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.outputSize = inputSize;
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

  forward(x: FloatArray, rows: number): FloatArray {
    const length = rows * this.inputSize;
    const y = this.output.take(length);
    this.kernels.leakyRelu(x, y, length, this.slope);
    this.x = x;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    const x = this.x;
    if (x === undefined) throw new Error('LeakyRelu.backward called before forward');
    const length = rows * this.inputSize;
    const dx = this.dx.take(length);
    this.kernels.leakyReluBackward(x, dy, dx, length, this.slope);
    return dx;
  }
}
