import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, normalize, type Batch, type Sample } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const sample = (index: number, pixels: number[], label: number): Sample => ({
  index,
  image: Uint8Array.from(pixels),
  label,
});

describe('normalize', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('turns arrays of samples into Float32 batches (x·scale + offset) and passes markers', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = sample(4, [0, 128, 255], 7);
      const s1 = sample(9, [255, 0, 51], 2);
      const E = new EpochEnd(1);
      const source = cold('a-E-b|', { a: [s0, s1], b: [s1], E });
      const x: Batch = {
        rows: 2,
        cols: 3,
        x: Float32Array.from([-1, 128 / 127.5 - 1, 1, 1, -1, 51 / 127.5 - 1]),
        labels: Int32Array.from([7, 2]),
        indices: Int32Array.from([4, 9]),
      };
      const y: Batch = {
        rows: 1,
        cols: 3,
        x: Float32Array.from([1, -1, 51 / 127.5 - 1]),
        labels: Int32Array.from([2]),
        indices: Int32Array.from([9]),
      };
      expectObservable(source.pipe(normalize({ scale: 1 / 127.5, offset: -1 }))).toBe('x-E-y|', { x, y, E });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('passes errors through and stops when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const batch = [sample(0, [1], 0)];
      expectObservable(cold('a-#', { a: batch }).pipe(normalize())).toBe('x-#', {
        x: { rows: 1, cols: 1, x: Float32Array.from([1 / 255]), labels: Int32Array.from([0]), indices: Int32Array.from([0]) },
      });
      const endless = cold('a-a-a-', { a: batch });
      expectObservable(endless.pipe(normalize()), '^-!').toBe('x-', {
        x: { rows: 1, cols: 1, x: Float32Array.from([1 / 255]), labels: Int32Array.from([0]), indices: Int32Array.from([0]) },
      });
      expectSubscriptions(endless.subscriptions).toBe('^-!');
    });
  });

  it('never writes to the source images, and gives each batch new arrays', () => {
    const s0 = sample(0, [10, 20, 30], 1);
    const before = Uint8Array.from(s0.image);
    const batches: Batch[] = [];
    scheduler.run(({ cold }) => {
      cold('aa|', { a: [s0] }).pipe(normalize()).subscribe((b) => batches.push(b as Batch));
    });
    expect(s0.image).toEqual(before);
    expect(batches).toHaveLength(2);
    expect(batches[0]!.x).not.toBe(batches[1]!.x);
    expect(batches[0]!.x).toBeInstanceOf(Float32Array);
  });

  it('rejects non-finite settings', () => {
    expect(() => normalize({ scale: Number.NaN, offset: 0 })).toThrow(/scale/);
    expect(() => normalize({ scale: 1, offset: Infinity })).toThrow(/offset/);
  });
});
