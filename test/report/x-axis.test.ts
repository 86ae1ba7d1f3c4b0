import { describe, expect, it } from 'vitest';
import type { EpochRow, StepRow } from '../../src/core/metric-rows.js';
import { epochX, stepXs } from '../../src/report/x-axis.js';

const epoch = (n: number, iteration: number, seconds: number): EpochRow =>
  ({ epoch: n, iteration, train_loss: 1, train_acc: 0.5, test_loss: 1, test_acc: 0.5, lr: 0.1, seconds });
const step = (n: number, iteration: number): StepRow => ({ epoch: n, iteration, loss: 1 });

// Two finished epochs of 4 steps (done at 2 s and 5 s), and two steps of a third.
const epochs = [epoch(1, 4, 2), epoch(2, 8, 5)];
const steps = [1, 2, 3, 4].map((i) => step(1, i)).concat([5, 6, 7, 8].map((i) => step(2, i)), [step(3, 9), step(3, 10)]);

describe('x positions', () => {
  it('of epoch rows: epoch, iteration, samples (iteration x batch size), seconds', () => {
    expect(['epoch', 'iteration', 'samples', 'seconds'].map((axis) => epochX(epochs[1]!, axis as never, { batchSize: 100 }))).toEqual([2, 8, 800, 5]);
    expect(() => epochX(epochs[1]!, 'samples')).toThrow(/batch size/);
  });

  it('of steps: the fraction of the epoch done, an unfinished epoch as long as the one before', () => {
    expect(stepXs(steps, epochs, 'epoch')).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5]);
    expect(stepXs(steps, epochs, 'iteration')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stepXs(steps, epochs, 'samples', { batchSize: 20 })).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    // No epoch finished yet: the first epoch is as long as its steps so far.
    expect(stepXs(steps.slice(0, 2), [], 'epoch')).toEqual([0.5, 1]);
  });

  it('of steps in seconds: interpolated between the epoch ends (0 at iteration 0), none after the last', () => {
    expect(stepXs(steps, epochs, 'seconds')).toEqual([0.5, 1, 1.5, 2, 2.75, 3.5, 4.25, 5, undefined, undefined]);
  });

  it('of a resumed run whose steps.csv starts mid-run', () => {
    const late = [step(2, 6), step(2, 7), step(2, 8)];
    expect(stepXs(late, epochs, 'epoch')).toEqual([1.5, 1.75, 2]);
    expect(stepXs(late, [epochs[1]!], 'epoch')).toEqual([1 + 1 / 3, 1 + 2 / 3, 2]);
  });
});
