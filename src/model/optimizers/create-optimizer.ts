import { SettingError } from '../../core/errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { AdaGrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

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

/**
 * Every optimizer by name: the slots it keeps per parameter once it has
 * made a step (checkpoint tensors `optimizer.{parameter}.{slot}`) and how
 * it is made from a spec. The command line, settings and resume checks all
 * read this table.
 */
const REGISTRY = {
  sgd: { slots: [], create: (s: OptimizerSpec, k?: Kernels) => new Sgd(s.lr, k) },
  momentum: { slots: ['velocity'], create: (s: OptimizerSpec, k?: Kernels) => new Momentum(s.lr, s.momentum, false, k) },
  nesterov: { slots: ['velocity'], create: (s: OptimizerSpec, k?: Kernels) => new Momentum(s.lr, s.momentum, true, k) },
  adagrad: { slots: ['sum_squares'], create: (s: OptimizerSpec, k?: Kernels) => new AdaGrad(s.lr, s.eps, k) },
  rmsprop: { slots: ['mean_square'], create: (s: OptimizerSpec, k?: Kernels) => new RmsProp(s.lr, s.rho ?? s.beta2, s.eps, k) },
  adam: { slots: ['m', 'v'], create: (s: OptimizerSpec, k?: Kernels) => new Adam(s.lr, s.beta1, s.beta2, s.eps, k) },
} as const satisfies Record<string, { readonly slots: readonly string[]; readonly create: (spec: OptimizerSpec, kernels?: Kernels) => Optimizer }>;

export type OptimizerName = keyof typeof REGISTRY;
export const OPTIMIZERS = Object.keys(REGISTRY) as [OptimizerName, ...OptimizerName[]];

/** The slots each optimizer keeps per parameter once it has made a step (checkpoint tensors `optimizer.{parameter}.{slot}`). */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerName, readonly string[]>> = slotsByName();

function slotsByName(): Record<OptimizerName, readonly string[]> {
  const slots = {} as Record<OptimizerName, readonly string[]>;
  for (const name of OPTIMIZERS) slots[name] = REGISTRY[name].slots;
  return slots;
}

export function createOptimizer(spec: OptimizerSpec, kernels?: Kernels): Optimizer {
  if (!Object.hasOwn(REGISTRY, spec.name)) {
    throw new SettingError('optimizer', `must be one of ${OPTIMIZERS.join(', ')}, got ${String(spec.name)}`);
  }
  return REGISTRY[spec.name].create(spec, kernels);
}
