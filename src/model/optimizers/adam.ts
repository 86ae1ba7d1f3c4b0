import { checkPositiveNumber } from '../../checks.js';
import type { Parameter } from '../parameter.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/**
 * Adam (Kingma and Ba): m ← β1 · m + (1 - β1) · g;  v ← β2 · v + (1 - β2) · g²;
 * p ← p - lr · m̂ / (√v̂ + ε), with the bias corrections m̂ = m / (1 - β1ᵗ), v̂ = v / (1 - β2ᵗ).
 */
export class Adam extends StatefulOptimizer {
  constructor(
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    super();
    checkPositiveNumber('lr', learningRate);
    checkFraction('beta1', beta1);
    checkFraction('beta2', beta2);
    checkPositiveNumber('eps', eps);
  }

  update(parameters: readonly Parameter[]): void {
    const { learningRate: lr, beta1, beta2, eps } = this;
    const t = this.stepCount + 1;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    for (const p of parameters) {
      const m = this.slots.get(p, 'm');
      const v = this.slots.get(p, 'v');
      const { value, grad } = p;
      for (let i = 0; i < p.size; i++) {
        const g = grad[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        value[i] = value[i]! - (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + eps);
      }
    }
    this.stepCount = t;
  }
}
