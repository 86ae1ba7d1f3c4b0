import { asyncScheduler, defer, timer, map, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { concatEach } from '../core/concat-each.js';
import { isEpochEnd } from '../core/epoch-end.js';

export interface YieldOptions {
  /** Let the event loop turn once at least this many milliseconds have passed since it last did (default 50). */
  readonly everyMs?: number;
  /** Where time is read and the turn scheduled (default asyncScheduler: a macrotask). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Passes items on unchanged, but now and then only after a macrotask, so
 * that timers, I/O and signal handlers get to run during a long synchronous
 * stretch (a whole in-memory epoch of training steps). Items are delayed,
 * never reordered; upstream items arriving meanwhile are held in order.
 * The count starts at subscription and again with the first item after
 * each epoch marker, so every epoch's pass starts as a fresh subscription's would.
 */
export function yieldToEventLoop<T>(options: YieldOptions = {}): MonoTypeOperatorFunction<T> {
  const { everyMs = 50, scheduler = asyncScheduler } = options;
  return (source) =>
    defer(() => {
      let last = scheduler.now();
      let restart = false;
      return source.pipe(
        concatEach((item: T) => {
          if (restart) last = scheduler.now();
          restart = isEpochEnd(item);
          if (scheduler.now() - last < everyMs) return item;
          return timer(0, scheduler).pipe(
            map(() => {
              last = scheduler.now();
              return item;
            }),
          );
        }),
      );
    });
}
