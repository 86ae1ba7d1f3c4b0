import { Observable, type OperatorFunction } from 'rxjs';
import { checkPositiveInteger } from './check-options.js';
import { isEpochEnd, type EpochEnd } from './epoch-end.js';

export interface MinibatchOptions {
  readonly size: number;
  /** Emit the short batch left at the end of an epoch (default true) or drop it. */
  readonly keepShort?: boolean;
}

/**
 * Groups items into arrays of `size`. Batches never span an epoch: at an
 * `EpochEnd` (and on completion) the short remainder is emitted or dropped,
 * then the marker passes on. Each emitted array is new and never touched again.
 */
export function minibatch<T>(options: MinibatchOptions): OperatorFunction<T | EpochEnd, T[] | EpochEnd> {
  const { size, keepShort = true } = options;
  checkPositiveInteger('size', size);
  return (source) =>
    new Observable<T[] | EpochEnd>((subscriber) => {
      let batch: T[] = [];
      const flushShort = (): void => {
        const rest = batch;
        batch = [];
        if (keepShort && rest.length > 0) subscriber.next(rest);
      };
      const subscription = source.subscribe({
        next: (item) => {
          if (isEpochEnd(item)) {
            flushShort();
            subscriber.next(item);
            return;
          }
          batch.push(item);
          if (batch.length === size) {
            const full = batch;
            batch = [];
            subscriber.next(full);
          }
        },
        error: (error: unknown) => {
          batch = [];
          subscriber.error(error);
        },
        complete: () => {
          flushShort();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        batch = [];
      };
    });
}
