import type { DType } from '../dtype.js';
import type { FloatArray, Kernels } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer } from './layer.js';

/** y = 1 / (1 + e^-x), element-wise; backward uses the kept output. */
export class Sigmoid implements Layer {
  readonly parameters = [];
  readonly outputSize: number;
  private readonly output: Workspace;
  private readonly dx: Workspace;
  private y: FloatArray | undefined;

  constructor(
    readonly inputSize: number,
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
    this.kernels.sigmoid(x, y, length);
    this.y = y;
    return y;
  }

  backward(dy: FloatArray, rows: number): FloatArray {
    const y = this.y;
    if (y === undefined) throw new Error('Sigmoid.backward called before forward');
    const length = rows * this.inputSize;
    const dx = this.dx.take(length);
    this.kernels.sigmoidBackward(y, dy, dx, length);
    return dx;
  }
}
