import type { Batch } from '../core/batch.js';
import type { FloatArray } from './kernels/kernels.js';
import type { Network } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';

/** A refused step: what went wrong first ('loss' or a tensor's name), and the batch's loss. */
export interface Divergence {
  readonly quantity: string;
  readonly loss: number;
}

/**
 * One training step that is undone when it diverges: a non-finite loss or
 * one above `maxLoss` (then no update is made), or an update that leaves a
 * parameter or running statistic non-finite. The guard costs next to
 * nothing: the update kernels count non-finite values as they write and
 * keep the values they overwrite (one copy, reused), and only the small
 * state a forward pass changes (batch-norm running statistics, dropout
 * generators) is copied before each step.
 */
export class StepGuard {
  private readonly state: FloatArray[];
  private readonly words: Uint32Array[];

  constructor(
    private readonly network: Network,
    private readonly optimizer: Optimizer,
    private readonly maxLoss = Infinity,
  ) {
    this.state = network.runningState.map((t) => t.value.slice());
    this.words = network.generators.map((g) => g.words.slice());
  }

  /** Forward, backward and update on `batch`; returns the batch's mean loss, or what diverged (the state is then as before the step). */
  step(batch: Batch): number | Divergence {
    const { network, optimizer } = this;
    this.save();
    const loss = network.computeGradients(batch);
    if (!(loss <= this.maxLoss) || !Number.isFinite(loss)) {
      this.restore();
      return { quantity: 'loss', loss };
    }
    const nonFinite = optimizer.update(network.parameters, true);
    const bad = nonFinite > 0 ? network.parameters.find((p) => network.kernels.countNonFinite(p.value, p.size) > 0)?.name : this.nonFiniteState();
    if (bad === undefined) return loss;
    optimizer.revert();
    this.restore();
    return { quantity: bad, loss };
  }

  private save(): void {
    this.network.runningState.forEach((t, i) => this.state[i]!.set(t.value));
    this.network.generators.forEach((g, i) => this.words[i]!.set(g.words));
  }

  private restore(): void {
    this.network.runningState.forEach((t, i) => t.value.set(this.state[i]!));
    this.network.generators.forEach((g, i) => g.words.set(this.words[i]!));
  }

  private nonFiniteState(): string | undefined {
    return this.network.runningState.find((t) => this.network.kernels.countNonFinite(t.value, t.value.length) > 0)?.name;
  }
}
