import { checkPositiveNumber } from '../../core/checks.js';
import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** RMSprop: h ← ρ · h + (1 - ρ) · g²;  p ← p - lr · g / (√h + ε). */
export class RmsProp extends StatefulOptimizer {
  protected readonly slotNames = ['mean_square'];

  constructor(learningRate: number, readonly rho = 0.99, readonly eps = 1e-8, kernels?: Kernels) {
    super(learningRate, kernels);
    checkFraction('rho', rho);
    checkPositiveNumber('eps', eps);
  }

  protected rule(): UpdateRule {
    return { kind: 'rmsprop', lr: this.learningRate, rho: this.rho, eps: this.eps };
  }
}
