import { Random } from '../random/random.js';
import { RandomStream } from '../random/streams.js';
import type { Batch } from './batch.js';
import type { FloatArray } from './kernels/kernels.js';
import type { Network } from './network.js';

/**
 * The worst relative error between an analytic gradient and central finite
 * differences of `loss` with respect to `values` (perturbed in place and
 * restored), over `entries` (default: all). Relative error:
 * |a - n| / max(|a| + |n|, floor).
 */
export function worstRelativeError(
  values: FloatArray,
  analytic: ArrayLike<number>,
  loss: () => number,
  options: { h?: number; floor?: number; entries?: readonly number[] } = {},
): number {
  const h = options.h ?? 1e-5;
  const floor = options.floor ?? 1e-10;
  let worst = 0;
  const check = (i: number): void => {
    const saved = values[i]!;
    values[i] = saved + h;
    const plus = loss();
    values[i] = saved - h;
    const minus = loss();
    values[i] = saved;
    const numeric = (plus - minus) / (2 * h);
    const a = analytic[i]!;
    worst = Math.max(worst, Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor));
  };
  if (options.entries === undefined) for (let i = 0; i < values.length; i++) check(i);
  else options.entries.forEach(check);
  return worst;
}

export interface ParameterCheck {
  readonly name: string;
  readonly worst: number;
  readonly checked: number;
}

/**
 * Checks every parameter's gradient (of the mean cross-entropy plus the L2
 * penalty, in training mode) against finite differences. Dropout masks are
 * held fixed by restoring the generators before each forward pass. Up to
 * `perParameter` entries of each parameter are checked, chosen with `seed`.
 * Use a float64 network. The relative error's floor (default 1e-4) matters
 * only for gradients that are zero in truth, such as a dense bias followed
 * by batch norm, where both sides are rounding noise (about 1e-11 with
 * h = 1e-5): an error of 1e-6 then still means agreement to 1e-10.
 */
export function checkNetworkGradients(
  network: Network,
  batch: Batch,
  options: { perParameter?: number; seed?: number; h?: number; floor?: number } = {},
): ParameterCheck[] {
  const randomState = network.randomState();
  const objective = (): number => {
    network.restoreRandomState(randomState);
    return network.computeGradients(batch) + network.penalty();
  };
  objective();
  const analytic = network.parameters.map((p) => Float64Array.from(p.grad));
  const picker = Random.derive(options.seed ?? 0, RandomStream.gradcheckEntries);
  const limit = options.perParameter ?? Infinity;
  return network.parameters.map((p, i) => {
    const entries = p.size <= limit ? undefined : pick(p.size, limit, picker);
    const worst = worstRelativeError(p.value, analytic[i]!, objective, { h: options.h, floor: options.floor ?? 1e-4, entries });
    return { name: p.name, worst, checked: entries?.length ?? p.size };
  });
}

function pick(size: number, count: number, random: Random): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(random.int(size));
  return [...chosen].sort((a, b) => a - b);
}
