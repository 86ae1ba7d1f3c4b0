import type { DType } from '../core/dtype.js';
import type { FloatArray, Kernels } from './kernels/kernels.js';
import { Workspace } from './workspace.js';

/**
 * Softmax and cross-entropy fused, so the gradient is (softmax - onehot) / N
 * and the loss is computed stably as logsumexp(z) - z[label].
 */
export class SoftmaxCrossEntropy {
  private readonly grad: Workspace;

  constructor(
    readonly classes: number,
    private readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.grad = new Workspace(dtype, kernels.allocate);
  }

  /** Mean loss over the rows, and the gradient with respect to the logits. */
  forwardBackward(logits: FloatArray, labels: Int32Array, rows: number): { loss: number; grad: FloatArray } {
    const grad = this.grad.take(rows * this.classes);
    const sum = this.kernels.softmaxCrossEntropy(logits, labels, rows, this.classes, grad, 1 / rows);
    return { loss: sum / rows, grad };
  }

  /** Summed loss over the rows, without a gradient. */
  lossSum(logits: FloatArray, labels: Int32Array, rows: number): number {
    return this.kernels.softmaxCrossEntropy(logits, labels, rows, this.classes);
  }
}
