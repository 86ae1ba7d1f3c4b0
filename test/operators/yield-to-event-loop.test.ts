import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { yieldToEventLoop } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('yieldToEventLoop', () => {
  it('passes items at once until everyMs has passed, then once after a scheduled turn; order kept', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // a at 0 and b at 3 pass at once; c at 6 (6 ms after the start) waits one scheduled turn (0 ms of
      // virtual time, so it is emitted in the same frame) and restarts the count; d at 9 passes at once.
      const source = cold('a--b--c--d|');
      expectObservable(source.pipe(yieldToEventLoop({ everyMs: 5, scheduler }))).toBe('a--b--c--d|');
    });
  });

  it('lets a macrotask run between items of a synchronous burst', async () => {
    const seen: string[] = [];
    const source = new Subject<number>();
    const done = new Promise<void>((resolve) =>
      source.pipe(yieldToEventLoop({ everyMs: 0 })).subscribe({ next: (n) => seen.push(`item ${n}`), complete: resolve }),
    );
    setTimeout(() => seen.push('timer'), 0);
    for (let i = 1; i <= 3; i++) source.next(i);
    source.complete();
    await done;
    expect(seen[0]).not.toBe('item 1'); // even the first item waits for a turn when everyMs is 0
    expect(seen).toContain('timer');
    expect(seen.filter((s) => s.startsWith('item'))).toEqual(['item 1', 'item 2', 'item 3']);
  });

  it('holds the items that arrive while it waits, and releases them in order', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abc)|');
      expectObservable(source.pipe(yieldToEventLoop({ everyMs: 0, scheduler }))).toBe('(abc)|');
    });
  });
});
