import type { OperatorFunction } from 'rxjs';
import { bufferEpochs } from './buffer-epochs.js';
import type { EpochEnd } from './epoch-end.js';

/**
 * Collects the items of each epoch and, at its end, emits
 * `reorder(items, epoch)` followed by the marker.
 */
export function reorderEachEpoch<T>(
  reorder: (items: readonly T[], epoch: number) => Iterable<T>,
): OperatorFunction<T | EpochEnd, T | EpochEnd> {
  return bufferEpochs<T, T>(() => {
    let held: T[] = [];
    return {
      take: (item) => {
        held.push(item);
      },
      release: (epoch, emit) => {
        const items = held;
        held = [];
        if (items.length === 0) return;
        for (const item of reorder(items, epoch)) if (!emit(item)) return;
      },
      clear: () => {
        held = [];
      },
    };
  });
}
