import { concatMap, Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { concatEach } from '../../src/core/concat-each.js';

describe('concatEach', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits immediate values at once, as concatMap with of() would', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      const subs = '       ^------!';
      const expected = '   -A-B-C-|';
      expectObservable(source.pipe(concatEach((x: string) => x.toUpperCase()))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('holds the items after an inner observable until it completes, in order', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c----d-|');
      const inner = cold('   --x|');
      const project = (x: string) => (x === 'b' ? inner : x);
      const expected = '   -a---xc---d-|';
      expectObservable(source.pipe(concatEach(project))).toBe(expected);
      // the same as concatMap
      expectObservable(source.pipe(concatMap((x: string) => (x === 'b' ? inner : of(x))))).toBe(expected);
    });
  });

  it('completes only after the inner observable in flight and the items queued behind it', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b|');
      const inner = cold(' ---x|');
      expectObservable(source.pipe(concatEach((x: string) => (x === 'a' ? inner : x)))).toBe('----x(b|)');
    });
  });

  it('takes an inner observable that completes at once like an immediate value', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a----b-|');
      expectObservable(source.pipe(concatEach((x: string) => (x === 'a' ? of('A1', 'A2') : x)))).toBe('-(xy)-b-|', { x: 'A1', y: 'A2', b: 'b' });
    });
  });

  it('passes on errors from the source, the projection and the inner observable', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#').pipe(concatEach((x: string) => x))).toBe('-a-#');
      expectObservable(
        cold('-a-b-').pipe(
          concatEach((x: string) => {
            if (x === 'b') throw 'bad';
            return x;
          }),
        ),
      ).toBe('-a-#', undefined, 'bad');
      expectObservable(cold('-a-b-c|').pipe(concatEach((x: string) => (x === 'b' ? cold('-#') : x)))).toBe('-a--#');
    });
  });

  it('unsubscribes from the source and the inner observable when unsubscribed early', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      const inner = cold('    -----x|');
      const unsub = '      -----!';
      expectObservable(source.pipe(concatEach((x: string) => (x === 'b' ? inner : x))), unsub).toBe('-a---');
      expectSubscriptions(source.subscriptions).toBe('^----!');
      expectSubscriptions(inner.subscriptions).toBe('---^-!');
    });
  });

  it('stops handling queued items after an error', () => {
    let projected = 0;
    const source = new Observable<number>((subscriber) => {
      subscriber.next(1);
      subscriber.next(2);
      subscriber.next(3);
    });
    const errors: unknown[] = [];
    source
      .pipe(
        concatEach((x: number) => {
          projected++;
          if (x === 1) return new Observable<number>((inner) => inner.error('boom'));
          return x;
        }),
      )
      .subscribe({ error: (e) => errors.push(e) });
    expect(errors).toEqual(['boom']);
    expect(projected).toBe(1);
  });
});
