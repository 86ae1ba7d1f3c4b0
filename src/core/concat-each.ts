import { isObservable, Observable, type OperatorFunction, type Subscription } from 'rxjs';

/**
 * concatMap for projections that are almost always immediate: `project`
 * returns either a value (not an Observable), emitted at once, or an
 * Observable, whose values are emitted in order before anything after it
 * (items arriving meanwhile wait, in order). Unlike concatMap with
 * `of(value)`, an immediate value costs no inner subscription, which
 * matters once per training step. Errors from the source, the projection
 * or an inner Observable pass on; completion waits for the inner Observable
 * in flight and the items queued behind it.
 */
export function concatEach<T, R>(project: (item: T) => R | Observable<R>): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const queue: T[] = [];
      let inner: Subscription | undefined;
      let sourceDone = false;

      /** Handles queued items until one starts an inner Observable or none are left; completes after the last. */
      const drain = (): void => {
        while (inner === undefined && queue.length > 0 && !subscriber.closed) handle(queue.shift()!);
        if (inner === undefined && queue.length === 0 && sourceDone) subscriber.complete();
      };

      const handle = (item: T): void => {
        let result: R | Observable<R>;
        try {
          result = project(item);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (!isObservable(result)) {
          subscriber.next(result);
          return;
        }
        let subscribing = true;
        let doneWhileSubscribing = false;
        const subscription = result.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (subscribing) {
              doneWhileSubscribing = true;
              return;
            }
            inner = undefined;
            drain();
          },
        });
        subscribing = false;
        if (!doneWhileSubscribing && !subscriber.closed) inner = subscription;
      };

      const upstream = source.subscribe({
        next: (item) => {
          if (subscriber.closed) return;
          if (inner !== undefined || queue.length > 0) queue.push(item);
          else handle(item);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          drain();
        },
      });
      return () => {
        upstream.unsubscribe();
        inner?.unsubscribe();
        queue.length = 0;
      };
    });
}
