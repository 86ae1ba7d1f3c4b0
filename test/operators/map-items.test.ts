import { beforeEach, describe, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, mapItems } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('mapItems', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('maps values and passes epoch markers unchanged', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const E = new EpochEnd(1);
      const source = cold('a-E-b|', { a: 2, b: 5, E });
      expectObservable(source.pipe(mapItems((v: number) => v * 10))).toBe('x-E-y|', { x: 20, y: 50, E });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('passes errors through and stops when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('a-#', { a: 1 }).pipe(mapItems((v: number) => -v))).toBe('x-#', { x: -1 });
      const endless = cold('a-a-a-', { a: 1 });
      expectObservable(endless.pipe(mapItems((v: number) => -v)), '^-!').toBe('x-', { x: -1 });
      expectSubscriptions(endless.subscriptions).toBe('^-!');
    });
  });
});
