import type { FloatArray } from '../kernels/kernels.js';
import type { Parameter } from '../parameter.js';

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
  forward(x: FloatArray, rows: number): FloatArray;
  backward(dy: FloatArray, rows: number): FloatArray | undefined;
}
