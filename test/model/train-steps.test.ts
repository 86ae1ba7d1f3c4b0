import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { tap } from 'rxjs';
import { Adam, buildNetwork, EpochEnd, mlpSpec, Sgd, trainSteps, TrainingDiverged, type Batch, type Network } from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';
import { createTestScheduler } from '../helpers/marbles.js';

const network = (): Network => buildNetwork(mlpSpec(4, [3], 2), { initStd: 0.5, seed: 3, dtype: 'float64' });
const batch = (seed: number, rows: number): Batch => ({
  rows,
  cols: 4,
  sampleShape: [4],
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

  it('fails with TrainingDiverged on a non-finite loss, leaving network and optimizer as before that step', () => {
    const net = buildNetwork(mlpSpec(4, [3], 2, { dropout: 0.5 }), { initStd: 0.5, seed: 3, dtype: 'float64' });
    const adam = new Adam(0.01);
    const poisoned = { ...batch(2, 3), x: new Float64Array(12).fill(Number.NaN) };
    let before: { values: number[][]; slots: [string, number[]][]; random: number[][] } | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-c', { a: batch(1, 2), b: poisoned, c: batch(3, 2) }).pipe(
        tap((item) => {
          if (item === poisoned) before = snapshotOf(net, adam);
        }),
      );
      const diverged = new TrainingDiverged({ epoch: 1, step: 2, quantity: 'loss', loss: Number.NaN, learningRate: 0.01 });
      expectObservable(source.pipe(trainSteps(net, adam))).toBe('x-#', { x: { ...step(1, 1, 2), learningRate: 0.01 } }, diverged);
    });
    expect(adam.steps).toBe(1);
    expect(snapshotOf(net, adam)).toEqual(before);
  });

  it('counts a loss above maxLoss as divergence, and checks nothing with guard off', () => {
    const loss = network().computeGradients(batch(1, 2)); // about ln 2: far above the limit
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: batch(1, 2) });
      const tooLarge = new TrainingDiverged({ epoch: 1, step: 1, quantity: 'loss', loss, maxLoss: 1e-3, learningRate: 0.5 });
      expect(tooLarge.message).toBe(`the loss reached ${loss.toPrecision(3)}, above the limit 0.001 at step 1 (epoch 1, learning rate 0.5)`);
      expectObservable(source.pipe(trainSteps(network(), new Sgd(0.5), { maxLoss: 1e-3 }))).toBe('#', undefined, tooLarge);
    });
    const poisoned = { ...batch(2, 3), x: new Float64Array(12).fill(Number.NaN) };
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: poisoned });
      expectObservable(source.pipe(trainSteps(network(), new Sgd(0.5), { guard: false }))).toBe('x|', {
        x: { ...step(1, 1, 3), loss: Number.NaN },
      });
    });
  });
});

function snapshotOf(net: Network, optimizer: Adam): { values: number[][]; slots: [string, number[]][]; random: number[][] } {
  return {
    values: net.tensors.map((t) => Array.from(t.value)),
    slots: optimizer.state().slots.map(([k, v]) => [k, Array.from(v)]),
    random: net.randomState(),
  };
}
