import { beforeEach, describe, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, holdOut } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const item = (index: number): { index: number } => ({ index });
const held = Uint8Array.from([0, 1, 0, 1]);

describe('holdOut', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('keeps the samples not held out for training, and passes epoch markers', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: item(0), b: item(1), c: item(2), d: item(3), E: new EpochEnd(1) };
      const source = cold('a-b-c-d-E|', values);
      expectObservable(source.pipe(holdOut(held, 'train'))).toBe('a---c---E|', values);
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('keeps only the held-out samples for validation; errors pass through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: item(0), b: item(1), c: item(2), d: item(3) };
      expectObservable(cold('a-b-c-d-#', values).pipe(holdOut(held, 'validation'))).toBe('--b---d-#', values);
    });
  });
});
