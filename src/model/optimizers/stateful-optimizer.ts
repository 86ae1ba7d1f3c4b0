import type { Optimizer, OptimizerState } from './optimizer.js';
import type { Parameter } from '../parameter.js';
import { Slots } from './slots.js';

/** What every optimizer shares: a step count and per-parameter slots, saved and restored together. */
export abstract class StatefulOptimizer implements Optimizer {
  abstract learningRate: number;
  readonly slots = new Slots();
  protected stepCount = 0;

  get steps(): number {
    return this.stepCount;
  }

  abstract update(parameters: readonly Parameter[]): void;

  state(): OptimizerState {
    return { steps: this.stepCount, slots: this.slots.entries() };
  }

  restore(state: OptimizerState): void {
    if (!(Number.isSafeInteger(state.steps) && state.steps >= 0)) throw new RangeError(`step count must be a whole number, got ${state.steps}`);
    this.slots.restore(state.slots);
    this.stepCount = state.steps;
  }
}
