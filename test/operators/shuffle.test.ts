import { beforeEach, describe, expect, it } from 'vitest';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, isEpochEnd, repeatEpochs, shuffle } from '../../src/index.js';
import { splitEpochs } from '../helpers/epochs.js';
import { createTestScheduler } from '../helpers/marbles.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const kind = (v: unknown): string => (isEpochEnd(v) ? 'E' : 'x');

/** The items of each epoch, in emitted order. */
async function epochsOf(items: number[], epochs: number, seed: number): Promise<number[][]> {
  return splitEpochs(await lastValueFrom(from(items).pipe(repeatEpochs(epochs), shuffle({ seed }), toArray())));
}

describe('shuffle', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("holds an epoch's items and emits them all at its marker, then the marker", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-E 9ms d-(F|)', { a: 1, b: 2, c: 3, d: 4, E: new EpochEnd(1), F: new EpochEnd(2) });
      const expected = '   ------(xxxE) 4ms --(xE|)';
      expectObservable(source.pipe(shuffle({ seed: 7 }), map(kind))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^ 17ms !');
    });
  });

  it('emits the held items when the source completes without a marker', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b-|', { a: 1, b: 2 });
      expectObservable(source.pipe(shuffle({ seed: 7 }), map(kind))).toBe('----(xx|)');
    });
  });

  it('passes errors through and drops the held items', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-#', { a: 1, b: 2 });
      expectObservable(source.pipe(shuffle({ seed: 7 }))).toBe('----#');
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('stops work when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-E-|', { a: 1, b: 2, c: 3, E: new EpochEnd(1) });
      expectObservable(source.pipe(shuffle({ seed: 7 })), '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('emits a permutation: every item exactly once per epoch', async () => {
    const items = range(1000);
    for (const epoch of await epochsOf(items, 3, 42)) {
      expect(epoch).toHaveLength(1000);
      expect([...epoch].sort((a, b) => a - b)).toEqual(items);
      expect(epoch).not.toEqual(items);
    }
  });

  it('draws a fresh permutation every epoch', async () => {
    const [first, second, third] = await epochsOf(range(1000), 3, 42);
    expect(first).not.toEqual(second);
    expect(second).not.toEqual(third);
  });

  it('repeats exactly for the same seed and differs for another', async () => {
    expect(await epochsOf(range(500), 2, 3)).toEqual(await epochsOf(range(500), 2, 3));
    expect(await epochsOf(range(500), 1, 3)).not.toEqual(await epochsOf(range(500), 1, 4));
  });

  it("gives epoch k the same order whether it was subscribed alone or after others", async () => {
    const [, secondOfTwo] = await epochsOf(range(300), 2, 9);
    const alone = await lastValueFrom(
      from(range(300)).pipe(repeatEpochs(1, { first: 2 }), shuffle({ seed: 9 }), toArray()),
    );
    expect(alone.filter((v) => !isEpochEnd(v))).toEqual(secondOfTwo);
  });

  it('rejects a seed that is not a uint32', () => {
    expect(() => shuffle({ seed: -1 })).toThrow(/seed/);
    expect(() => shuffle({ seed: 1.5 })).toThrow(/seed/);
  });
});
