import { SettingError } from '../../core/errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { AdaGrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The slots each optimizer keeps per parameter once it has made a step (checkpoint tensors `optimizer.{parameter}.{slot}`). */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerName, readonly string[]>> = {
  sgd: [],
  momentum: ['velocity'],
  nesterov: ['velocity'],
  adagrad: ['sum_squares'],
  rmsprop: ['mean_square'],
  adam: ['m', 'v'],
};

/** An optimizer and its hyperparameters; unset ones take each optimizer's usual default. */
export interface OptimizerSpec {
  readonly name: OptimizerName;
  readonly lr: number;
  /** momentum, nesterov; default 0.9 */
  readonly momentum?: number | undefined;
  /** adam; default 0.9 */
  readonly beta1?: number | undefined;
  /** adam; default 0.999. Also read as rmsprop's rho when `rho` is not given (settings written before rho had its own name). */
  readonly beta2?: number | undefined;
  /** rmsprop's decay of the squared-gradient average; default 0.99 */
  readonly rho?: number | undefined;
  /** adagrad, rmsprop, adam; default 1e-8 */
  readonly eps?: number | undefined;
}

export function createOptimizer(spec: OptimizerSpec, kernels?: Kernels): Optimizer {
  switch (spec.name) {
    case 'sgd':
      return new Sgd(spec.lr, kernels);
    case 'momentum':
      return new Momentum(spec.lr, spec.momentum, false, kernels);
    case 'nesterov':
      return new Momentum(spec.lr, spec.momentum, true, kernels);
    case 'adagrad':
      return new AdaGrad(spec.lr, spec.eps, kernels);
    case 'rmsprop':
      return new RmsProp(spec.lr, spec.rho ?? spec.beta2, spec.eps, kernels);
    case 'adam':
      return new Adam(spec.lr, spec.beta1, spec.beta2, spec.eps, kernels);
    default:
      throw new SettingError('optimizer', `must be one of ${OPTIMIZERS.join(', ')}, got ${String(spec.name)}`);
  }
}
