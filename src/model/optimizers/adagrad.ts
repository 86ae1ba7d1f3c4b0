import { checkPositiveNumber } from '../../checks.js';
import type { Parameter } from '../parameter.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** AdaGrad: h ← h + g²;  p ← p - lr · g / (√h + ε). */
export class AdaGrad extends StatefulOptimizer {
  constructor(
    public learningRate: number,
    readonly eps = 1e-8,
  ) {
    super();
    checkPositiveNumber('lr', learningRate);
    checkPositiveNumber('eps', eps);
  }

  update(parameters: readonly Parameter[]): void {
    const { learningRate: lr, eps } = this;
    for (const p of parameters) {
      const h = this.slots.get(p, 'sum_squares');
      const { value, grad } = p;
      for (let i = 0; i < p.size; i++) {
        const g = grad[i]!;
        h[i] = h[i]! + g * g;
        value[i] = value[i]! - (lr * g) / (Math.sqrt(h[i]!) + eps);
      }
    }
    this.stepCount++;
  }
}
