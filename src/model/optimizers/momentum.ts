import { checkPositiveNumber } from '../../core/checks.js';
import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** SGD with momentum: v ← μ · v - lr · g;  p ← p + v. */
export class Momentum extends StatefulOptimizer {
  protected readonly slotNames = ['velocity'];
  /** Nesterov's look-ahead step instead of p ← p + v (see Nesterov). */
  protected readonly nesterov: boolean = false;

  constructor(
    public learningRate: number,
    readonly momentum = 0.9,
    kernels?: Kernels,
  ) {
    super(kernels);
    checkPositiveNumber('lr', learningRate);
    checkFraction('momentum', momentum);
  }

  protected rule(): UpdateRule {
    return { kind: 'momentum', lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
