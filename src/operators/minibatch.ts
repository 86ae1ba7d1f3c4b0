import type { OperatorFunction } from 'rxjs';
import { bufferEpochs } from './buffer-epochs.js';
import { checkPositiveInteger } from '../core/checks.js';
import type { EpochEnd } from '../core/epoch-end.js';

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
  return bufferEpochs<T, T[]>(() => {
    // each batch's array is made at its full size at once, so it never grows item by item
    let batch = new Array<T>(size);
    let filled = 0;
    return {
      take: (item, emit) => {
        batch[filled++] = item;
        if (filled < size) return;
        const full = batch;
        batch = new Array<T>(size);
        filled = 0;
        emit(full);
      },
      release: (_epoch, emit) => {
        const rest = batch;
        rest.length = filled;
        batch = new Array<T>(size);
        filled = 0;
        if (keepShort && rest.length > 0) emit(rest);
      },
      clear: () => {
        batch = new Array<T>(size);
        filled = 0;
      },
    };
  });
}
