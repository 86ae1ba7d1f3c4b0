import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd, repeatEpochs } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('repeatEpochs', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('subscribes once per epoch and closes each pass with a numbered marker', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 9ms b 9ms |');
      const expected = '   a 9ms b 9ms (Ea) 6ms b 9ms (F|)';
      expectObservable(source.pipe(repeatEpochs(2))).toBe(expected, { a: 'a', b: 'b', E: new EpochEnd(1), F: new EpochEnd(2) });
      expectSubscriptions(source.subscriptions).toBe(['^ 19ms !', '20ms ^ 19ms !']);
    });
  });

  it('numbers epochs from `first`', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a|').pipe(repeatEpochs(1, { first: 5 }))).toBe('a(E|)', { a: 'a', E: new EpochEnd(5) });
    });
  });

  it('passes an error through without starting another epoch', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-#');
      expectObservable(source.pipe(repeatEpochs(3))).toBe('a-#');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('stops when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-|');
      expectObservable(source.pipe(repeatEpochs(3)), '^--!').toBe('a-b');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => repeatEpochs(0)).toThrow(/count/);
  });
});
