import { checkPositiveNumber } from '../../core/checks.js';
import type { Kernels, UpdateRule } from '../kernels/kernels.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** AdaGrad: h ← h + g²;  p ← p - lr · g / (√h + ε). */
export class AdaGrad extends StatefulOptimizer {
  protected readonly slotNames = ['sum_squares'];

  constructor(learningRate: number, readonly eps = 1e-8, kernels?: Kernels) {
    super(learningRate, kernels);
    checkPositiveNumber('eps', eps);
  }

  protected rule(): UpdateRule {
    return { kind: 'adagrad', lr: this.learningRate, eps: this.eps };
  }
}
