import type { Parameter } from '../parameter.js';

/** Updates parameters from their gradients; `steps` counts the updates made. */
export interface Optimizer {
  /** The rate the next update uses; a learning-rate schedule sets it before each step. */
  learningRate: number;
  readonly steps: number;
  update(parameters: readonly Parameter[]): void;
}
