import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { EpochEnd } from '../../src/index.js';
import { prepareAhead, type Prepared } from '../../src/operators/prepare-ahead.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('prepareAhead', () => {
  let scheduler: TestScheduler;
  let log: string[];
  const prepare = (item: string): Prepared<string> => {
    log.push(`start ${item}`);
    return { finish: () => (log.push(`finish ${item}`), item.toUpperCase()), cancel: () => void log.push(`cancel ${item}`) };
  };
  beforeEach(() => {
    scheduler = createTestScheduler();
    log = [];
  });

  it('starts each item on arrival and emits it when the next has started', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|');
      expectObservable(source.pipe(prepareAhead(prepare))).toBe('--A-B-(C|)');
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
    expect(log).toEqual(['start a', 'start b', 'finish a', 'start c', 'finish b', 'finish c']);
  });

  it('emits the item held before an epoch marker, then the marker', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const E = new EpochEnd(1);
      expectObservable(cold('a-E----b|', { a: 'a', b: 'b', E }).pipe(prepareAhead(prepare))).toBe('--(AE)--(B|)', { A: 'A', B: 'B', E });
    });
  });

  it('cancels the item held on error and on unsubscription', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a-#').pipe(prepareAhead(prepare))).toBe('--#');
    });
    expect(log).toEqual(['start a', 'cancel a']);
    log = [];
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-');
      expectObservable(source.pipe(prepareAhead(prepare)), '---!').toBe('--A');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    expect(log).toEqual(['start a', 'start b', 'finish a', 'cancel b']);
  });

  it('completes at once on an empty source', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('--|').pipe(prepareAhead(prepare))).toBe('--|');
    });
  });
});
