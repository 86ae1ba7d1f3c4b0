import type { OperatorFunction } from 'rxjs';
import { bufferEpochs } from './buffer-epochs.js';
import { checkPositiveInteger } from '../checks.js';
import type { EpochEnd } from './epoch-end.js';

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
    let batch: T[] = [];
    return {
      take: (item, emit) => {
        batch.push(item);
        if (batch.length < size) return;
        const full = batch;
        batch = [];
        emit(full);
      },
      release: (_epoch, emit) => {
        const rest = batch;
        batch = [];
        if (keepShort && rest.length > 0) emit(rest);
      },
      clear: () => {
        batch = [];
      },
    };
  });
}
