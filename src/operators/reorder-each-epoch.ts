import type { OperatorFunction } from 'rxjs';
import { bufferEpochs } from './buffer-epochs.js';
import type { EpochEnd } from '../core/epoch-end.js';

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
        const order = reorder(items, epoch);
        // an index loop over arrays: for-of makes an iterator result per item (60,000 per epoch)
        if (Array.isArray(order)) {
          for (let i = 0; i < order.length; i++) if (!emit(order[i] as T)) return;
        } else {
          for (const item of order) if (!emit(item)) return;
        }
      },
      clear: () => {
        held = [];
      },
    };
  });
}
