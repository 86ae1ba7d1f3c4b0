import { Observable, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';

/** What a buffering operator does with one subscription's items; see bufferEpochs. */
export interface EpochBuffer<T, R> {
  /** Takes a value; may emit at once (`emit` returns false once nobody listens). */
  take(value: T, emit: (result: R) => boolean): void;
  /** Epoch `epoch` is over (its marker arrived or the source completed): emit what is held and let it go. */
  release(epoch: number, emit: (result: R) => boolean): void;
  /** Drop what is held: after an error, or when unsubscribed. */
  clear(): void;
}

/**
 * The shared body of every operator that holds items within an epoch
 * (minibatch, shuffle, sampling): the buffer is created per subscription,
 * released at each `EpochEnd` before the marker passes on and at
 * completion, dropped on error and on unsubscribe. Items after the last
 * marker belong to the next epoch.
 */
export function bufferEpochs<T, R>(createBuffer: () => EpochBuffer<T, R>): OperatorFunction<T | EpochEnd, R | EpochEnd> {
  return (source) =>
    new Observable<R | EpochEnd>((subscriber) => {
      const buffer = createBuffer();
      const emit = (result: R): boolean => {
        if (subscriber.closed) return false;
        subscriber.next(result);
        return !subscriber.closed;
      };
      let epoch = 1;
      const subscription = source.subscribe({
        next: (item) => {
          if (!isEpochEnd(item)) {
            buffer.take(item, emit);
            return;
          }
          buffer.release(item.epoch, emit);
          subscriber.next(item);
          epoch = item.epoch + 1;
        },
        error: (error: unknown) => {
          buffer.clear();
          subscriber.error(error);
        },
        complete: () => {
          buffer.release(epoch, emit);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        buffer.clear();
      };
    });
}
