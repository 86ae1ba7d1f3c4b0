import type { UpdateRule } from '../kernels/kernels.js';
import { StatefulOptimizer } from './stateful-optimizer.js';

/** Plain stochastic gradient descent: p ← p - lr · ∇p. */
export class Sgd extends StatefulOptimizer {
  protected readonly slotNames = [];

  protected rule(): UpdateRule {
    return { kind: 'sgd', lr: this.learningRate };
  }
}
