import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { EpochEnd, yieldToEventLoop } from '../../src/index.js';
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

  it('starts counting again with the first item after an epoch marker, as a fresh subscription would', async () => {
    const seen: string[] = [];
    const source = new Subject<number | EpochEnd>();
    const done = new Promise<void>((resolve) =>
      source.pipe(yieldToEventLoop({ everyMs: 20 })).subscribe({ next: (n) => seen.push(`item ${String(n instanceof EpochEnd ? 'end' : n)}`), complete: resolve }),
    );
    source.next(1);
    source.next(new EpochEnd(1));
    await new Promise((resolve) => setTimeout(resolve, 40)); // the epoch's evaluation, say
    setTimeout(() => seen.push('timer'), 0);
    source.next(2); // 40 ms after the count started, but the first item of a new epoch: passes at once
    source.complete();
    await done;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['item 1', 'item end', 'item 2', 'timer']);
  });

  it('holds the items that arrive while it waits, and releases them in order', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abc)|');
      expectObservable(source.pipe(yieldToEventLoop({ everyMs: 0, scheduler }))).toBe('(abc)|');
    });
  });
});
