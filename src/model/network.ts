import type { Batch } from './batch.js';
import type { FloatArray } from './kernels/kernels.js';
import type { Layer } from './layers/layer.js';
import type { ModelSpec } from './model-spec.js';
import type { Parameter } from './parameter.js';
import type { SoftmaxCrossEntropy } from './softmax-cross-entropy.js';
import type { Kernels } from './kernels/kernels.js';

export interface BatchScore {
  readonly lossSum: number;
  readonly correct: number;
}

/** A stack of layers ending in logits, trained against softmax cross-entropy. */
export class Network {
  readonly parameters: readonly Parameter[];

  constructor(
    readonly spec: ModelSpec,
    private readonly layers: readonly Layer[],
    private readonly loss: SoftmaxCrossEntropy,
    private readonly kernels: Kernels,
  ) {
    this.parameters = layers.flatMap((layer) => layer.parameters);
  }

  get classes(): number {
    return this.loss.classes;
  }

  /** Forward to the logits ([rows × classes], valid until the next call). */
  logits(x: FloatArray, rows: number): FloatArray {
    let activations = x;
    for (const layer of this.layers) activations = layer.forward(activations, rows);
    return activations;
  }

  /**
   * Forward and backward on one batch: afterwards every parameter's `grad`
   * holds the gradient of the batch's mean loss. Returns that mean loss.
   */
  computeGradients(batch: Batch): number {
    this.checkBatch(batch);
    const logits = this.logits(batch.x, batch.rows);
    const { loss, grad } = this.loss.forwardBackward(logits, batch.labels, batch.rows);
    let upstream: FloatArray | undefined = grad;
    for (let i = this.layers.length - 1; i >= 0 && upstream !== undefined; i--) {
      upstream = this.layers[i]!.backward(upstream, batch.rows);
    }
    return loss;
  }

  /** Summed loss and number of correct predictions on one batch. */
  score(batch: Batch): BatchScore {
    this.checkBatch(batch);
    const logits = this.logits(batch.x, batch.rows);
    return {
      lossSum: this.loss.lossSum(logits, batch.labels, batch.rows),
      correct: this.kernels.countCorrect(logits, batch.labels, batch.rows, this.classes),
    };
  }

  private checkBatch(batch: Batch): void {
    if (batch.cols !== this.spec.input) {
      throw new RangeError(`batch has ${batch.cols} values per row, the network expects ${this.spec.input}`);
    }
  }
}
