import { checkPositiveNumber } from '../../checks.js';
import type { Parameter } from '../parameter.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/**
 * Nesterov momentum (Sutskever et al.'s form, as PyTorch's nesterov=True):
 * v ← μ · v - lr · g;  p ← p + μ · v - lr · g, a step that looks ahead along the new velocity.
 */
export class Nesterov extends StatefulOptimizer {
  constructor(
    public learningRate: number,
    readonly momentum = 0.9,
  ) {
    super();
    checkPositiveNumber('lr', learningRate);
    checkFraction('momentum', momentum);
  }

  update(parameters: readonly Parameter[]): void {
    const { learningRate: lr, momentum: mu } = this;
    for (const p of parameters) {
      const v = this.slots.get(p, 'velocity');
      const { value, grad } = p;
      for (let i = 0; i < p.size; i++) {
        v[i] = mu * v[i]! - lr * grad[i]!;
        value[i] = value[i]! + mu * v[i]! - lr * grad[i]!;
      }
    }
    this.stepCount++;
  }
}
