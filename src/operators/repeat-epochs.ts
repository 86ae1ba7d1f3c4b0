import { concatMap, endWith, range, type OperatorFunction } from 'rxjs';
import { EpochEnd } from '../core/epoch-end.js';
import { checkPositiveInteger } from '../core/checks.js';

/**
 * Subscribes to the source once per epoch, `count` times, and closes each
 * pass with an `EpochEnd` marker numbered from `first`.
 */
export function repeatEpochs<T>(count: number, options: { first?: number } = {}): OperatorFunction<T, T | EpochEnd> {
  checkPositiveInteger('count', count);
  const first = options.first ?? 1;
  checkPositiveInteger('first', first);
  return (source) => range(first, count).pipe(concatMap((epoch) => source.pipe(endWith(new EpochEnd(epoch)))));
}
