import type { Random } from '../core/random.js';
import type { Batch } from '../core/batch.js';
import type { FloatArray } from './kernels/kernels.js';
import { shapeSize, type Layer, type Mode } from './layers/layer.js';
import type { ModelSpec } from './model-spec.js';
import type { Parameter, StateTensor } from './parameter.js';
import type { SoftmaxCrossEntropy } from './softmax-cross-entropy.js';
import type { Kernels } from './kernels/kernels.js';

export interface BatchScore {
  readonly lossSum: number;
  readonly correct: number;
  /** The batch's logits ([rows × classes], valid until the network's next call). */
  readonly logits: FloatArray;
}

export interface NetworkOptions {
  /** L2 penalty: (weightDecay / 2) · Σ W² over the dense weights (not biases or batch-norm scales). */
  readonly weightDecay?: number;
}

/** A stack of layers ending in logits, trained against softmax cross-entropy. */
export class Network {
  readonly parameters: readonly Parameter[];
  /** Everything a checkpoint must hold: the parameters, then the layers' other state (running statistics). */
  readonly tensors: readonly StateTensor[];
  /** The generators the layers draw from in training (dropout masks), in layer order. */
  readonly generators: readonly Random[];
  /** The layers' state that is not trained by gradients (batch norm's running statistics). */
  readonly runningState: readonly StateTensor[];
  readonly weightDecay: number;
  private readonly decayed: readonly Parameter[];

  constructor(
    readonly spec: ModelSpec,
    private readonly layers: readonly Layer[],
    private readonly loss: SoftmaxCrossEntropy,
    readonly kernels: Kernels,
    options: NetworkOptions = {},
  ) {
    this.parameters = layers.flatMap((layer) => layer.parameters);
    this.runningState = layers.flatMap((layer) => layer.state ?? []);
    this.generators = layers.flatMap((layer) => (layer.random === undefined ? [] : [layer.random]));
    this.tensors = [...this.parameters, ...this.runningState];
    this.weightDecay = options.weightDecay ?? 0;
    this.decayed = this.parameters.filter((p) => p.name.endsWith('.weight'));
  }

  get classes(): number {
    return this.loss.classes;
  }

  /** Whether the first layer can start from a batch's non-zeros (Batch.nonZeros): a dense layer does, a convolution reads every pixel. */
  get takesNonZeros(): boolean {
    return this.layers[0]?.forwardSparse !== undefined;
  }

  /** Forward to the logits ([rows × classes], valid until the next call); evaluation mode unless told. */
  logits(x: FloatArray, rows: number, mode: Mode = 'eval'): FloatArray {
    let activations = x;
    for (const layer of this.layers) activations = layer.forward(activations, rows, mode);
    return activations;
  }

  /**
   * Forward (training mode) and backward on one batch: afterwards every
   * parameter's `grad` holds the gradient of the batch's mean loss plus the
   * L2 penalty. Returns the mean cross-entropy (without the penalty).
   */
  computeGradients(batch: Batch): number {
    this.checkBatch(batch);
    const logits = this.forward(batch, 'train');
    const { loss, grad } = this.loss.forwardBackward(logits, batch.labels, batch.rows);
    let upstream: FloatArray | undefined = grad;
    for (let i = this.layers.length - 1; i >= 0 && upstream !== undefined; i--) {
      upstream = this.layers[i]!.backward(upstream, batch.rows);
    }
    if (this.weightDecay > 0) {
      for (const p of this.decayed) this.kernels.axpy(this.weightDecay, p.value, p.grad, p.size);
    }
    return loss;
  }

  /** The state of every generator the layers draw from in training (dropout masks), in layer order. */
  randomState(): number[][] {
    return this.generators.map((random) => random.state());
  }

  restoreRandomState(states: readonly (readonly number[])[]): void {
    if (states.length !== this.generators.length) throw new RangeError(`${states.length} generator states for ${this.generators.length} generators`);
    this.generators.forEach((random, i) => random.setState(states[i]!));
  }

  /** The L2 penalty (weightDecay / 2) · Σ W², the part of the objective computeGradients leaves out of its loss. */
  penalty(): number {
    let sum = 0;
    for (const p of this.decayed) for (let i = 0; i < p.size; i++) sum += p.value[i]! * p.value[i]!;
    return (this.weightDecay / 2) * sum;
  }

  /** Summed loss and number of correct predictions on one batch. */
  score(batch: Batch): BatchScore {
    this.checkBatch(batch);
    const logits = this.forward(batch, 'eval');
    return {
      lossSum: this.loss.lossSum(logits, batch.labels, batch.rows),
      correct: this.kernels.countCorrect(logits, batch.labels, batch.rows, this.classes),
      logits,
    };
  }

  /** Forward on a batch: the first layer starts from the batch's non-zeros when it has them and can. */
  private forward(batch: Batch, mode: Mode): FloatArray {
    const first = this.layers[0]!;
    const { nonZeros, rows } = batch;
    let activations = nonZeros !== undefined && first.forwardSparse !== undefined ? first.forwardSparse(nonZeros, rows, mode) : first.forward(batch.x, rows, mode);
    for (let i = 1; i < this.layers.length; i++) activations = this.layers[i]!.forward(activations, rows, mode);
    return activations;
  }

  private checkBatch(batch: Batch): void {
    if (batch.cols !== shapeSize(this.spec.input)) {
      throw new RangeError(`batch has ${batch.cols} values per row, the network expects ${shapeSize(this.spec.input)}`);
    }
  }
}
