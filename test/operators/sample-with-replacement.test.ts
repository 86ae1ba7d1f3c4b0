import { beforeEach, describe, expect, it } from 'vitest';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, isEpochEnd, repeatEpochs, sampleWithReplacement } from '../../src/index.js';
import { splitEpochs } from '../helpers/epochs.js';
import { createTestScheduler } from '../helpers/marbles.js';

const kind = (v: unknown): string => (isEpochEnd(v) ? 'E' : 'x');
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function draws(items: number[], epochs: number, seed: number, count?: number): Promise<number[][]> {
  return splitEpochs(
    await lastValueFrom(from(items).pipe(repeatEpochs(epochs), sampleWithReplacement({ seed, draws: count }), toArray())),
  );
}

describe('sampleWithReplacement', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('emits the epoch\'s draws at its marker, as many as it had items by default', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-(E|)', { a: 1, b: 2, c: 3, E: new EpochEnd(1) });
      expectObservable(source.pipe(sampleWithReplacement({ seed: 1 }), map(kind))).toBe('------(xxxE|)');
    });
  });

  it('makes `draws` draws per epoch when asked', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-(E|)', { a: 1, b: 2, E: new EpochEnd(1) });
      expectObservable(source.pipe(sampleWithReplacement({ seed: 1, draws: 5 }), map(kind))).toBe('----(xxxxxE|)');
    });
  });

  it('passes errors through and stops when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a-#', { a: 1 });
      expectObservable(failing.pipe(sampleWithReplacement({ seed: 1 }))).toBe('--#');
      const endless = cold('a-b-c-d-', { a: 1, b: 2, c: 3, d: 4 });
      expectObservable(endless.pipe(sampleWithReplacement({ seed: 1 })), '^--!').toBe('---');
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });

  it('draws only items of the epoch, repeats some, and is uniform', async () => {
    const [epoch] = await draws(range(10), 1, 5, 100_000);
    const counts = new Array<number>(10).fill(0);
    for (const v of epoch!) counts[v]!++;
    // each count is Binomial(1e5, 0.1): sd ≈ 95, so ±600 is over 6 sd
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    const [small] = await draws(range(100), 1, 5);
    expect(new Set(small).size).toBeLessThan(100);
  });

  it('differs between epochs and repeats for the same seed', async () => {
    const [a, b] = await draws(range(1000), 2, 11);
    expect(a).not.toEqual(b);
    expect(await draws(range(1000), 2, 11)).toEqual([a, b]);
  });
});
