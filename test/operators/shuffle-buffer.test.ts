import { beforeEach, describe, expect, it } from 'vitest';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, isEpochEnd, Random, RandomStream, repeatEpochs, SettingError, shuffleBuffer } from '../../src/index.js';
import { splitEpochs } from '../helpers/epochs.js';
import { createTestScheduler } from '../helpers/marbles.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const kind = (v: unknown): string => (isEpochEnd(v) ? 'E' : 'x');

async function epochsOf(items: number[], epochs: number, size: number, seed: number, firstEpoch?: number): Promise<number[][]> {
  const first = firstEpoch ?? 1;
  const stream = from(items).pipe(repeatEpochs(epochs, { first }), shuffleBuffer<number>({ size, seed, firstEpoch: first }), toArray());
  return splitEpochs(await lastValueFrom(stream));
}

describe('shuffleBuffer', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('fills the buffer first, then emits one held item for each new one, and the rest at the marker', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-d-E 7ms e-(F|)', { a: 1, b: 2, c: 3, d: 4, e: 5, E: new EpochEnd(1), F: new EpochEnd(2) });
      const expected = '   ----x-x-(xxE) 3ms --(xE|)';
      expectObservable(source.pipe(shuffleBuffer({ size: 2, seed: 7 }), map(kind))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^ 17ms !');
    });
  });

  it('with room for one item, delays the stream by one item and keeps its order', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: 1, b: 2, c: 3 };
      expectObservable(cold('a-b-c-|', values).pipe(shuffleBuffer({ size: 1, seed: 3 }))).toBe('--a-b-(c|)', values);
    });
  });

  it('passes errors through and drops the held items', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-#', { a: 1, b: 2 });
      expectObservable(source.pipe(shuffleBuffer({ size: 5, seed: 7 }))).toBe('----#');
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('stops work when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-E-|', { a: 1, b: 2, c: 3, E: new EpochEnd(1) });
      expectObservable(source.pipe(shuffleBuffer({ size: 1, seed: 7 })), '^--!').toBe('--x', { x: 1 });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('emits every item exactly once per epoch, in a new order each epoch', async () => {
    const epochs = await epochsOf(range(1000), 3, 100, 42);
    for (const epoch of epochs) {
      expect([...epoch].sort((a, b) => a - b)).toEqual(range(1000));
      expect(epoch).not.toEqual(range(1000));
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it('never holds more than its size: the p-th item out came in at most `size` places later', async () => {
    const size = 50;
    const order = (await lastValueFrom(from<(number | EpochEnd)[]>(range(400)).pipe(shuffleBuffer<number>({ size, seed: 1 }), toArray()))) as unknown as number[];
    expect([...order].sort((a, b) => a - b)).toEqual(range(400));
    order.forEach((value, position) => expect(value).toBeLessThanOrEqual(position + size));
    expect(order.slice(0, 350).some((value, position) => value > position)).toBe(true);
  });

  it('with a buffer as long as the epoch, is a uniform shuffle drawn from its own stream', async () => {
    const [epoch] = await epochsOf(range(10), 1, 10, 9);
    // all ten held, then drawn one at a time without replacement from the buffer
    const random = Random.derive(9, RandomStream.shuffleBuffer, 1);
    const held = range(10);
    const expected: number[] = [];
    while (held.length > 0) {
      const j = random.int(held.length);
      expected.push(held[j]!);
      held[j] = held[held.length - 1]!;
      held.pop();
    }
    expect(epoch).toEqual(expected);
  });

  it("derives epoch k's order from the seed and k alone, so a run can restart at any epoch", async () => {
    const all = await epochsOf(range(300), 3, 64, 5);
    const fromThird = await epochsOf(range(300), 1, 64, 5, 3);
    expect(fromThird[0]).toEqual(all[2]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => shuffleBuffer({ size: 0, seed: 1 })).toThrow(SettingError);
    expect(() => shuffleBuffer({ size: 2.5, seed: 1 })).toThrow(/size: must be a positive integer/);
  });
});
