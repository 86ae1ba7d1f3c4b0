import type { FloatArray } from '../kernels/kernels.js';
import type { Parameter } from '../parameter.js';

/** Everything an optimizer's future updates depend on besides the parameters. */
export interface OptimizerState {
  /** Updates made so far. */
  readonly steps: number;
  /** Per-parameter slots as `{parameter}.{slot}` (e.g. `dense.0.weight.m`). */
  readonly slots: readonly (readonly [string, FloatArray])[];
}

/** Updates parameters from their gradients; `steps` counts the updates made. */
export interface Optimizer {
  /** The rate the next update uses; a learning-rate schedule sets it before each step. */
  learningRate: number;
  readonly steps: number;
  /**
   * One step on every parameter. Returns how many of the new values are
   * ±Infinity or NaN. With `revertible`, keeps what it overwrites so that
   * `revert()` can undo this step.
   */
  update(parameters: readonly Parameter[], revertible?: boolean): number;
  /** Undoes the last update, made with `revertible`: parameters, slots and step count as before it. */
  revert(): void;
  /** The live state (slot arrays are views, not copies). */
  state(): OptimizerState;
  /** Continues from a state taken with state(): copies it in. */
  restore(state: OptimizerState): void;
}
