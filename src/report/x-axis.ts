import type { EpochRow, StepRow } from '../core/metric-rows.js';

/** What the charts' x axis counts. */
export const X_AXES = ['iteration', 'epoch', 'samples', 'seconds'] as const;
export type XAxis = (typeof X_AXES)[number];

/** The axis title of each choice. */
export const X_TITLES: Readonly<Record<XAxis, string>> = {
  iteration: 'iteration',
  epoch: 'epoch',
  samples: 'training samples (iteration × batch size)',
  seconds: 'wall time (seconds)',
};

/** What the x position of a run's rows needs beyond its CSVs. */
export interface XContext {
  /** The run's batch size (run.json), for `samples`. */
  readonly batchSize?: number | undefined;
}

/** An epoch row's x: its epoch, its last iteration, the samples trained on by then, or its wall time. */
export function epochX(row: EpochRow, axis: XAxis, context: XContext = {}): number {
  switch (axis) {
    case 'iteration':
      return row.iteration;
    case 'epoch':
      return row.epoch;
    case 'samples':
      return row.iteration * batchSizeOf(context);
    case 'seconds':
      return row.seconds;
  }
}

/**
 * Each step's x, in order, or undefined where it has none: with `epoch`, the
 * fraction of the epoch done (epoch 2's middle step is at 1.5); with
 * `seconds`, the time interpolated linearly between the epoch ends of
 * epochs.csv (0 at iteration 0), so the steps after the last finished epoch
 * have none.
 */
export function stepXs(steps: readonly StepRow[], epochs: readonly EpochRow[], axis: XAxis, context: XContext = {}): (number | undefined)[] {
  switch (axis) {
    case 'iteration':
      return steps.map((s) => s.iteration);
    case 'samples': {
      const batchSize = batchSizeOf(context);
      return steps.map((s) => s.iteration * batchSize);
    }
    case 'epoch':
      return fractionalEpochs(steps, epochs);
    case 'seconds':
      return interpolatedSeconds(steps, epochs);
  }
}

function batchSizeOf(context: XContext): number {
  if (context.batchSize === undefined) throw new Error('samples need the batch size');
  return context.batchSize;
}

/**
 * Epoch e spans the iterations after epoch e-1's last one up to its own; an
 * unfinished epoch is as long as the one before it (or, in the first epoch,
 * as its steps so far).
 */
function fractionalEpochs(steps: readonly StepRow[], epochs: readonly EpochRow[]): number[] {
  const endOf = new Map<number, number>([[0, 0], ...epochs.map((e): [number, number] => [e.epoch, e.iteration])]);
  const firstOf = new Map<number, number>();
  const lastOf = new Map<number, number>();
  for (const s of steps) {
    if (!firstOf.has(s.epoch)) firstOf.set(s.epoch, s.iteration);
    lastOf.set(s.epoch, s.iteration);
  }
  const span = (epoch: number): { start: number; length: number } => {
    const start = endOf.get(epoch - 1) ?? firstOf.get(epoch)! - 1;
    const end = endOf.get(epoch);
    if (end !== undefined) return { start, length: end - start };
    const before = endOf.get(epoch - 1);
    const beforeStart = endOf.get(epoch - 2);
    if (before !== undefined && beforeStart !== undefined && epoch > 1) return { start, length: before - beforeStart };
    return { start, length: lastOf.get(epoch)! - start };
  };
  return steps.map((s) => {
    const { start, length } = span(s.epoch);
    return s.epoch - 1 + (length > 0 ? (s.iteration - start) / length : 1);
  });
}

function interpolatedSeconds(steps: readonly StepRow[], epochs: readonly EpochRow[]): (number | undefined)[] {
  const knots = [{ iteration: 0, seconds: 0 }, ...epochs.map((e) => ({ iteration: e.iteration, seconds: e.seconds }))];
  let k = 0;
  return steps.map((s) => {
    while (k + 1 < knots.length && knots[k + 1]!.iteration < s.iteration) k++;
    const a = knots[k]!;
    const b = knots[k + 1];
    if (b === undefined || s.iteration < a.iteration) return undefined;
    return a.seconds + ((s.iteration - a.iteration) / (b.iteration - a.iteration)) * (b.seconds - a.seconds);
  });
}
