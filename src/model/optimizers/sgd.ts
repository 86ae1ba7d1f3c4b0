import { checkPositiveNumber } from '../../checks.js';
import type { Kernels } from '../kernels/kernels.js';
import { tsKernels } from '../kernels/ts-kernels.js';
import type { Parameter } from '../parameter.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** Plain stochastic gradient descent: p ← p - lr · ∇p. */
export class Sgd extends StatefulOptimizer {
  constructor(
    public learningRate: number,
    private readonly kernels: Kernels = tsKernels,
  ) {
    super();
    checkPositiveNumber('lr', learningRate);
  }

  update(parameters: readonly Parameter[]): void {
    for (const p of parameters) this.kernels.axpy(-this.learningRate, p.grad, p.value, p.size);
    this.stepCount++;
  }
}
