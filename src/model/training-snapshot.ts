import type { FloatArray } from './kernels/kernels.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';

/**
 * A copy of everything one training step changes: parameters, running
 * statistics, optimizer slots and step count, the layers' random generators.
 * `save` before a step and `restore` after a failed one put the network and
 * optimizer back exactly. The copies are allocated once and reused.
 */
export class TrainingSnapshot {
  private readonly tensors: FloatArray[];
  private slots = new Map<string, FloatArray>();
  private steps = 0;
  private random: number[][] = [];

  constructor(
    private readonly network: Network,
    private readonly optimizer: Optimizer,
  ) {
    this.tensors = network.tensors.map((t) => t.value.slice());
  }

  save(): void {
    this.network.tensors.forEach((t, i) => this.tensors[i]!.set(t.value));
    const state = this.optimizer.state();
    this.steps = state.steps;
    // Optimizers only ever add slots, so the copies can only be missing, never stale (restore replaces them all).
    for (const [key, array] of state.slots) {
      const copy = this.slots.get(key);
      if (copy === undefined || copy.length !== array.length) this.slots.set(key, array.slice());
      else copy.set(array);
    }
    if (this.slots.size > state.slots.length) {
      const live = new Set(state.slots.map(([key]) => key));
      for (const key of this.slots.keys()) if (!live.has(key)) this.slots.delete(key);
    }
    this.random = this.network.randomState();
  }

  restore(): void {
    this.network.tensors.forEach((t, i) => t.value.set(this.tensors[i]!));
    this.optimizer.restore({ steps: this.steps, slots: [...this.slots.entries()] });
    this.network.restoreRandomState(this.random);
  }
}

/**
 * What went wrong in a step, if anything: 'loss' when the loss is not finite
 * or above `maxLoss`, else the name of the first non-finite parameter or
 * running statistic.
 */
export function divergence(loss: number, network: Network, maxLoss = Infinity): string | undefined {
  if (!(loss <= maxLoss) || !Number.isFinite(loss)) return 'loss';
  for (const t of network.tensors) if (!allFinite(t.value)) return t.name;
  return undefined;
}

function allFinite(values: FloatArray): boolean {
  // x - x is NaN for ±Infinity and NaN, 0 otherwise: one pass, no branch per value.
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! - values[i]!;
  return sum === 0;
}
