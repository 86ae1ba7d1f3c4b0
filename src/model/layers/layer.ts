import type { FloatArray, SparseMatrix } from '../kernels/kernels.js';
import type { Random } from '../../core/random.js';
import type { Parameter, StateTensor } from '../parameter.js';

/** Training uses batch statistics and drops units; evaluation uses running statistics and keeps them all. */
export type Mode = 'train' | 'eval';

/**
 * One step of a network. `forward` keeps what `backward` needs; `backward`
 * takes the gradient of the loss with respect to the output, fills the
 * gradients of the parameters, and returns the gradient with respect to the
 * input (or undefined when nobody needs it). Returned arrays belong to the
 * layer and are valid until its next call.
 */
export interface Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[];
  /** Values the layer keeps that are not trained by gradients (batch norm's running statistics); saved in checkpoints. */
  readonly state?: readonly StateTensor[];
  /** The generator the layer draws from in training (dropout), if any. */
  readonly random?: Random;
  forward(x: FloatArray, rows: number, mode: Mode): FloatArray;
  /** Forward from the non-zeros of the input (a batch's, made without its dense form), for layers that can start from them. */
  forwardSparse?(input: SparseMatrix, rows: number, mode: Mode): FloatArray;
  backward(dy: FloatArray, rows: number): FloatArray | undefined;
}
