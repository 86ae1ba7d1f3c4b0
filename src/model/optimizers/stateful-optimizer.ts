import { checkPositiveNumber } from '../../core/checks.js';
import type { FloatArray, Kernels, UpdateRule } from '../kernels/kernels.js';
import { tsKernels } from '../kernels/ts-kernels.js';
import type { Parameter } from '../parameter.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { Slots } from './slots.js';

/**
 * What every optimizer shares: a step count and per-parameter slots, saved
 * and restored together; the step itself is a kernel (`Kernels.update`)
 * given the rule each optimizer describes.
 */
export abstract class StatefulOptimizer implements Optimizer {
  readonly slots: Slots;
  protected stepCount = 0;
  /** The slots each parameter has, in the order the rule writes them. */
  protected abstract readonly slotNames: readonly string[];
  /** Per parameter: where a revertible step keeps the value and slots it overwrote. */
  private readonly previous = new Map<Parameter, FloatArray[]>();
  private reverting: readonly Parameter[] = [];

  constructor(
    public learningRate: number,
    protected readonly kernels: Kernels = tsKernels,
  ) {
    checkPositiveNumber('lr', learningRate);
    this.slots = new Slots(kernels.allocate);
  }

  get steps(): number {
    return this.stepCount;
  }

  /** The rule of update number t (from 1). */
  protected abstract rule(t: number): UpdateRule;

  update(parameters: readonly Parameter[], revertible = false): number {
    const rule = this.rule(this.stepCount + 1);
    let nonFinite = 0;
    for (const p of parameters) {
      const slots = this.slots.of(p, this.slotNames);
      nonFinite += this.kernels.update(rule, p.value, p.grad, slots, p.size, revertible ? this.previousOf(p, slots.length) : undefined);
    }
    this.reverting = revertible ? parameters : [];
    this.stepCount++;
    return nonFinite;
  }

  revert(): void {
    if (this.reverting.length === 0) throw new Error('no revertible update to undo');
    for (const p of this.reverting) {
      const [value, ...slots] = this.previous.get(p)!;
      p.value.set(value!);
      this.slots.of(p, this.slotNames).forEach((slot, i) => slot.set(slots[i]!));
    }
    this.reverting = [];
    this.stepCount--;
  }

  state(): OptimizerState {
    return { steps: this.stepCount, slots: this.slots.entries() };
  }

  restore(state: OptimizerState): void {
    if (!(Number.isSafeInteger(state.steps) && state.steps >= 0)) throw new RangeError(`step count must be a whole number, got ${state.steps}`);
    this.slots.restore(state.slots);
    this.stepCount = state.steps;
    this.reverting = [];
  }

  private previousOf(p: Parameter, slots: number): FloatArray[] {
    let arrays = this.previous.get(p);
    if (arrays === undefined) {
      const dtype = p.value instanceof Float64Array ? 'float64' : 'float32';
      arrays = Array.from({ length: 1 + slots }, () => this.kernels.allocate(dtype, p.size));
      this.previous.set(p, arrays);
    }
    return arrays;
  }
}
