import { checkPositiveNumber } from '../../checks.js';
import type { Parameter } from '../parameter.js';
import { checkFraction } from './check-fraction.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** SGD with momentum: v ← μ · v - lr · g;  p ← p + v. */
export class Momentum extends StatefulOptimizer {
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
        value[i] = value[i]! + v[i]!;
      }
    }
    this.stepCount++;
  }
}
