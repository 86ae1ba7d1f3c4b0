import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/**
 * SGD with momentum: v ← μ · v - lr · g;  p ← p + v. With `nesterov`,
 * Nesterov momentum (Sutskever et al.'s form, as PyTorch's nesterov=True):
 * p ← p + μ · v - lr · g, a step that looks ahead along the new velocity.
 */
export class Momentum extends StatefulOptimizer {
  protected readonly slotNames = ['velocity'];

  constructor(learningRate: number, readonly momentum = 0.9, readonly nesterov = false, kernels?: Kernels) {
    super(learningRate, kernels);
    checkFraction('momentum', momentum);
  }

  protected rule(): UpdateRule {
    return { kind: 'momentum', lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
