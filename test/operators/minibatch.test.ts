import { beforeEach, describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, minibatch } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('minibatch', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('emits full batches in order and keeps the short last batch of an epoch', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const E = new EpochEnd(1);
      const source = cold('abcdefg(E|)', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, E });
      const expected = '   --x--y-(zE|)';
      expectObservable(source.pipe(minibatch({ size: 3 }))).toBe(expected, { x: [1, 2, 3], y: [4, 5, 6], z: [7], E });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('drops the short last batch when keepShort is false', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const E = new EpochEnd(1);
      const source = cold('abcdefg(E|)', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, E });
      const expected = '   --x--y-(E|)';
      expectObservable(source.pipe(minibatch({ size: 3, keepShort: false }))).toBe(expected, { x: [1, 2, 3], y: [4, 5, 6], E });
    });
  });

  it('never lets a batch span an epoch marker', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const E = new EpochEnd(1);
      const F = new EpochEnd(2);
      const source = cold('abE-cd-e(F|)', { a: 1, b: 2, c: 3, d: 4, e: 5, E, F });
      const expected = '   -xE--y--(zF|)';
      expectObservable(source.pipe(minibatch({ size: 2 }))).toBe(expected, { x: [1, 2], y: [3, 4], z: [5], E, F });
    });
  });

  it('flushes the short batch when the source completes without a marker', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('abcd|', { a: 1, b: 2, c: 3, d: 4 });
      expectObservable(source.pipe(minibatch({ size: 3 }))).toBe('--x-(y|)', { x: [1, 2, 3], y: [4] });
    });
  });

  it('passes errors through and drops the partial batch', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcd#', { a: 1, b: 2, c: 3, d: 4 });
      expectObservable(source.pipe(minibatch({ size: 3 }))).toBe('--x-#', { x: [1, 2, 3] });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('stops work when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcdefgh|', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 });
      expectObservable(source.pipe(minibatch({ size: 3 })), '^---!').toBe('--x-', { x: [1, 2, 3] });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('emits a new array each time', () => {
    const batches: number[][] = [];
    of(1, 2, 3, 4).pipe(minibatch<number>({ size: 2 })).subscribe((b) => batches.push(b as number[]));
    expect(batches).toEqual([[1, 2], [3, 4]]);
    expect(batches[0]).not.toBe(batches[1]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => minibatch({ size: 0 })).toThrow(/size/);
    expect(() => minibatch({ size: 2.5 })).toThrow(/size/);
  });
});
