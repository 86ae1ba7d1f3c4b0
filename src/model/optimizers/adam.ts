import { checkPositiveNumber } from '../../core/checks.js';
import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/**
 * Adam (Kingma and Ba): m ← β1 · m + (1 - β1) · g;  v ← β2 · v + (1 - β2) · g²;
 * p ← p - lr · m̂ / (√v̂ + ε), with the bias corrections m̂ = m / (1 - β1ᵗ), v̂ = v / (1 - β2ᵗ).
 */
export class Adam extends StatefulOptimizer {
  protected readonly slotNames = ['m', 'v'];

  constructor(learningRate: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8, kernels?: Kernels) {
    super(learningRate, kernels);
    checkFraction('beta1', beta1);
    checkFraction('beta2', beta2);
    checkPositiveNumber('eps', eps);
  }

  protected rule(t: number): UpdateRule {
    const { learningRate: lr, beta1, beta2, eps } = this;
    return { kind: 'adam', lr, beta1, beta2, eps, correction1: 1 - beta1 ** t, correction2: 1 - beta2 ** t };
  }
}
