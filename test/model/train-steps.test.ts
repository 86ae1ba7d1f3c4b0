import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { buildNetwork, EpochEnd, mlpSpec, Sgd, trainSteps, type Batch, type Network } from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';
import { createTestScheduler } from '../helpers/marbles.js';

const network = (): Network => buildNetwork(mlpSpec(4, [3], 2), { initStd: 0.5, seed: 3, dtype: 'float64' });
const batch = (seed: number, rows: number): Batch => ({
  rows,
  cols: 4,
  x: filled(new Float64Array(rows * 4), seed),
  labels: Int32Array.from({ length: rows }, (_, i) => (i + seed) % 2),
  indices: Int32Array.from({ length: rows }, (_, i) => i),
});
const step = (epoch: number, iteration: number, rows: number) => ({
  kind: 'step',
  epoch,
  iteration,
  rows,
  loss: expect.any(Number),
  learningRate: 0.5,
});

describe('trainSteps (the model operator)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('emits one step result per batch, numbering epochs by their markers and counting iterations', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const E = new EpochEnd(1);
      const F = new EpochEnd(2);
      const source = cold('a-b-E-c-F|', { a: batch(1, 2), b: batch(2, 3), c: batch(3, 1), E, F });
      const expected = '   x-y-E-z-F|';
      const net = network();
      expectObservable(source.pipe(trainSteps(net, new Sgd(0.5)))).toBe(expected, {
        x: step(1, 1, 2),
        y: step(1, 2, 3),
        z: step(2, 3, 1),
        E,
        F,
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('starts numbering at firstEpoch', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: batch(1, 2) });
      expectObservable(source.pipe(trainSteps(network(), new Sgd(0.5), { firstEpoch: 4 }))).toBe('x|', { x: step(4, 1, 2) });
    });
  });

  it('passes errors through and stops training when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('a-#', { a: batch(1, 2) }).pipe(trainSteps(network(), new Sgd(0.5)))).toBe('x-#', {
        x: step(1, 1, 2),
      });
      const sgd = new Sgd(0.5);
      const endless = cold('a-a-a-a-', { a: batch(1, 2) });
      expectObservable(endless.pipe(trainSteps(network(), sgd)), '^--!').toBe('x-y', { x: step(1, 1, 2), y: step(1, 2, 2) });
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });

  it('does exactly forward, backward and one update per batch, reporting the loss before the update', () => {
    const streamed = network();
    const manual = network();
    const sgd = new Sgd(0.5);
    const manualSgd = new Sgd(0.5);
    const batches = [batch(1, 2), batch(2, 3), batch(3, 4)];
    const losses: number[] = [];
    scheduler.run(({ cold }) => {
      cold('abc|', { a: batches[0]!, b: batches[1]!, c: batches[2]! })
        .pipe(trainSteps(streamed, sgd))
        .subscribe((r) => {
          if (r.kind === 'step') losses.push(r.loss);
        });
    });
    const expectedLosses = batches.map((b) => {
      const loss = manual.computeGradients(b);
      manualSgd.update(manual.parameters);
      return loss;
    });
    expect(losses).toEqual(expectedLosses);
    streamed.parameters.forEach((p, i) => expect(p.value).toEqual(manual.parameters[i]!.value));
  });
});
