import { checkPositiveNumber } from '../../checks.js';
import type { Kernels } from '../kernels/kernels.js';
import { tsKernels } from '../kernels/ts-kernels.js';
import type { Parameter } from '../parameter.js';
import type { Optimizer } from './optimizer.js';

/** Plain stochastic gradient descent: p ← p - lr · ∇p. */
export class Sgd implements Optimizer {
  private stepCount: number;

  constructor(
    public learningRate: number,
    private readonly kernels: Kernels = tsKernels,
    startStep = 0,
  ) {
    checkPositiveNumber('lr', learningRate);
    this.stepCount = startStep;
  }

  get steps(): number {
    return this.stepCount;
  }

  update(parameters: readonly Parameter[]): void {
    for (const p of parameters) this.kernels.axpy(-this.learningRate, p.grad, p.value, p.size);
    this.stepCount++;
  }
}
