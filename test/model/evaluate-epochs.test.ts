import { beforeEach, describe, expect, it } from 'vitest';
import { from, lastValueFrom, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  buildNetwork,
  EpochEnd,
  evaluate,
  evaluateEpochs,
  mlpSpec,
  Sgd,
  type Batch,
  type StepResult,
} from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';
import { createTestScheduler } from '../helpers/marbles.js';

const batch = (seed: number, rows: number): Batch => ({
  rows,
  cols: 4,
  sampleShape: [4],
  x: filled(new Float64Array(rows * 4), seed),
  labels: Int32Array.from({ length: rows }, (_, i) => (i * seed) % 3),
  indices: Int32Array.from({ length: rows }, (_, i) => i),
});
const stepOf = (epoch: number, iteration: number, loss: number): StepResult => ({
  kind: 'step',
  epoch,
  iteration,
  loss,
  rows: 2,
  learningRate: 0.1,
});

describe('evaluateEpochs', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('replaces each epoch marker with a report: mean step loss, and metrics on the full sets', async () => {
    const network = buildNetwork(mlpSpec(4, [5], 3), { initStd: 0.3, seed: 1, dtype: 'float64' });
    const optimizer = new Sgd(0.1);
    const train = from([batch(1, 3), batch(2, 4)]);
    const test = from([batch(5, 2)]);
    const onTrain = await lastValueFrom(evaluate(network, train));
    const onTest = await lastValueFrom(evaluate(network, test));
    const a = stepOf(1, 1, 1.5);
    const b = stepOf(1, 2, 0.5);
    const c = stepOf(2, 3, 0.25);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-E-c-F|', { a, b, c, E: new EpochEnd(1), F: new EpochEnd(2) });
      const report = (epoch: number, trainLoss: number) => ({
        kind: 'epoch',
        epoch,
        iteration: 0,
        trainLoss,
        trainAccuracy: onTrain.accuracy,
        testLoss: onTest.loss,
        testAccuracy: onTest.accuracy,
        learningRate: 0.1,
        seconds: 12.5,
      });
      const expected = '   a-b-R-c-S|';
      expectObservable(source.pipe(evaluateEpochs({ network, optimizer, train, test, clock: () => 12.5 }))).toBe(expected, {
        a,
        b,
        c,
        R: report(1, 1),
        S: report(2, 0.25),
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('passes errors through and stops when unsubscribed', () => {
    const network = buildNetwork(mlpSpec(4, [], 3), { initStd: 0.3, seed: 1, dtype: 'float64' });
    const options = { network, optimizer: new Sgd(0.1), train: of(batch(1, 2)), test: of(batch(2, 2)), clock: () => 0 };
    const a = stepOf(1, 1, 1);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('a-#', { a }).pipe(evaluateEpochs(options))).toBe('a-#', { a });
      const endless = cold('a-a-a-', { a });
      expectObservable(endless.pipe(evaluateEpochs(options)), '^-!').toBe('a-', { a });
      expectSubscriptions(endless.subscriptions).toBe('^-!');
    });
  });
});

describe('evaluate', () => {
  it('weights every row equally across batches of different sizes', async () => {
    const network = buildNetwork(mlpSpec(4, [3], 3), { initStd: 0.3, seed: 2, dtype: 'float64' });
    const small = batch(3, 1);
    const large = batch(4, 5);
    const s = network.score(small);
    const l = network.score(large);
    const metrics = await lastValueFrom(evaluate(network, from([small, new EpochEnd(1), large])));
    expect(metrics.count).toBe(6);
    expect(metrics.loss).toBeCloseTo((s.lossSum + l.lossSum) / 6, 14);
    expect(metrics.accuracy).toBe((s.correct + l.correct) / 6);
  });
});
