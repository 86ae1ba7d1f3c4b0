import { Observable, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';

/** An item being prepared: `finish` gives the result; `cancel` lets go of it unused. */
export interface Prepared<R> {
  finish(): R;
  cancel(): void;
}

/**
 * Begins preparing each item as soon as it arrives but emits it only once
 * the next item has arrived and begun (or the epoch or the stream ends), so
 * that preparing item k + 1 (on another thread) overlaps with whatever the
 * consumer does with item k. Items keep their order; epoch markers pass
 * after the item before them. On error or unsubscription the item held is
 * cancelled.
 */
export function prepareAhead<T, R>(prepare: (item: T) => Prepared<R>): OperatorFunction<T | EpochEnd, R | EpochEnd> {
  return (source) =>
    new Observable<R | EpochEnd>((subscriber) => {
      let held: Prepared<R> | undefined;
      const emitHeld = (): void => {
        const item = held;
        held = undefined;
        if (item !== undefined) subscriber.next(item.finish());
      };
      const subscription = source.subscribe({
        next: (item) => {
          if (isEpochEnd(item)) {
            emitHeld();
            subscriber.next(item);
            return;
          }
          const before = held;
          held = prepare(item);
          if (before !== undefined) subscriber.next(before.finish());
        },
        error: (error: unknown) => {
          held?.cancel();
          held = undefined;
          subscriber.error(error);
        },
        complete: () => {
          emitHeld();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        held?.cancel();
        held = undefined;
      };
    });
}
