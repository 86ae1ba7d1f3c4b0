import type { Parameter } from '../parameter.js';

/** Updates parameters from their gradients; `steps` counts the updates made. */
export interface Optimizer {
  readonly learningRate: number;
  readonly steps: number;
  update(parameters: readonly Parameter[]): void;
}
