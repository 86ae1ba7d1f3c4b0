import { Observable, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from './epoch-end.js';

/**
 * Collects the items of each epoch and, at its `EpochEnd` (or when the
 * source completes), emits `reorder(items, epoch)` followed by the marker.
 * Items after the last marker count as the next epoch. The buffer lives in
 * the subscription and is dropped on error and on unsubscribe.
 */
export function reorderEachEpoch<T>(
  reorder: (items: readonly T[], epoch: number) => Iterable<T>,
): OperatorFunction<T | EpochEnd, T | EpochEnd> {
  return (source) =>
    new Observable<T | EpochEnd>((subscriber) => {
      let buffer: T[] = [];
      let epoch = 1;
      const flush = (): void => {
        const items = buffer;
        buffer = [];
        if (items.length === 0) return;
        for (const item of reorder(items, epoch)) {
          if (subscriber.closed) return;
          subscriber.next(item);
        }
      };
      const subscription = source.subscribe({
        next: (item) => {
          if (!isEpochEnd(item)) {
            buffer.push(item);
            return;
          }
          epoch = item.epoch;
          flush();
          subscriber.next(item);
          epoch = item.epoch + 1;
        },
        error: (error: unknown) => {
          buffer = [];
          subscriber.error(error);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        buffer = [];
      };
    });
}
