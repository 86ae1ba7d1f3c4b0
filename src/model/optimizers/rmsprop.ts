import { checkPositiveNumber } from '../../checks.js';
import type { Parameter } from '../parameter.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** RMSprop: h ← ρ · h + (1 - ρ) · g²;  p ← p - lr · g / (√h + ε). */
export class RmsProp extends StatefulOptimizer {
  constructor(
    public learningRate: number,
    readonly rho = 0.99,
    readonly eps = 1e-8,
  ) {
    super();
    checkPositiveNumber('lr', learningRate);
    checkFraction('beta2', rho);
    checkPositiveNumber('eps', eps);
  }

  update(parameters: readonly Parameter[]): void {
    const { learningRate: lr, rho, eps } = this;
    for (const p of parameters) {
      const h = this.slots.get(p, 'mean_square');
      const { value, grad } = p;
      for (let i = 0; i < p.size; i++) {
        const g = grad[i]!;
        h[i] = rho * h[i]! + (1 - rho) * g * g;
        value[i] = value[i]! - (lr * g) / (Math.sqrt(h[i]!) + eps);
      }
    }
    this.stepCount++;
  }
}
