import { checkPositiveNumber } from '../../core/checks.js';
import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** Plain stochastic gradient descent: p ← p - lr · ∇p. */
export class Sgd extends StatefulOptimizer {
  protected readonly slotNames = [];

  constructor(
    public learningRate: number,
    kernels?: Kernels,
  ) {
    super(kernels);
    checkPositiveNumber('lr', learningRate);
  }

  protected rule(): UpdateRule {
    return { kind: 'sgd', lr: this.learningRate };
  }
}
