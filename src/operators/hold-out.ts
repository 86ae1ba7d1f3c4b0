import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';

/**
 * Keeps the samples on one side of a split (see splitValidation): with
 * `keep: 'train'` those not held out, with `keep: 'validation'` those held
 * out, by their `index` in the data set. Epoch markers pass through.
 */
export function holdOut<T extends { readonly index: number } | EpochEnd>(held: Uint8Array, keep: 'train' | 'validation'): MonoTypeOperatorFunction<T> {
  const wanted = keep === 'validation' ? 1 : 0;
  return filter((item) => isEpochEnd(item) || (held[(item as { readonly index: number }).index] ?? 0) === wanted);
}
