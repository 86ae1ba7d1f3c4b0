import { Momentum } from './momentum.js';

/**
 * Nesterov momentum (Sutskever et al.'s form, as PyTorch's nesterov=True):
 * v ← μ · v - lr · g;  p ← p + μ · v - lr · g, a step that looks ahead along the new velocity.
 */
export class Nesterov extends Momentum {
  protected override readonly nesterov = true;
}
