import { defer, finalize, type OperatorFunction } from 'rxjs';
import type { Batch } from '../core/batch.js';
import type { Allocator } from '../core/allocator.js';
import { plainAllocator } from '../core/plain-allocator.js';
import type { Sample } from '../sources/samples.js';
import { checkFinite } from '../core/checks.js';
import { newArrays, startBatch, type Assembly, type BatchArrays, type Normalization, type StartedBatch } from './batch-assembly.js';
import type { EpochEnd } from '../core/epoch-end.js';
import { mapItems } from './map-items.js';
import { prepareAhead } from './prepare-ahead.js';

export type { Normalization } from './batch-assembly.js';

/** Bytes 0..255 to 0..1, as the lesson does. */
export const UNIT_RANGE: Normalization = { scale: 1 / 255, offset: 0 };

export interface NormalizeOptions {
  /**
   * Reuse the batches' arrays instead of allocating new ones per batch:
   * a batch stays valid until one more has been emitted, which suits a
   * consumer that is done with each batch before it asks for the next
   * (training, evaluation). Default false: every batch is new.
   */
  readonly reuse?: boolean;
  /**
   * Where the input arrays are allocated and scaled: the kernels (so wasm
   * products read them in place), or by default plain typed arrays.
   */
  readonly allocator?: Allocator;
  /**
   * With reused arrays: find each byte batch's non-zeros straight from the
   * bytes (Batch.nonZeros), unless more than this share of the values are
   * non-zero; x is then made only if someone reads it. For a first layer
   * that starts from the non-zeros (Dense's SPARSE_MAX_DENSITY).
   */
  readonly sparse?: number;
  /**
   * With `sparse`: find the next batch's non-zeros on the kernels' other
   * thread while this one is used, emitting each batch once the next has
   * arrived (or the epoch ends). For training, whose steps are too small to
   * share among threads.
   */
  readonly lookahead?: boolean;
}

/** How many batches' arrays a reusing subscription cycles through: the one in use, the one emitted before it (still valid), and with lookahead the one being prepared. */
const REUSED_BATCHES = 3;

/**
 * Turns arrays of samples into Float32 batches. The samples' images are
 * only read; each batch gets new arrays unless `reuse` is set.
 */
export function normalize(
  normalization: Normalization = UNIT_RANGE,
  options: NormalizeOptions = {},
): OperatorFunction<readonly Sample[] | EpochEnd, Batch | EpochEnd> {
  const { scale, offset } = normalization;
  checkFinite('scale', scale);
  checkFinite('offset', offset);
  const allocator = options.allocator ?? plainAllocator;
  // non-zeros only into reused arrays: each set keeps its container in the allocator's memory
  const sparse = options.reuse === true ? options.sparse : undefined;
  const assembly: Assembly = { normalization, allocator, sparse, later: sparse !== undefined && options.lookahead === true };
  // Allocated memory is never given back, so only arrays that are reused come from it.
  if (options.reuse !== true) {
    return mapItems((items: readonly Sample[]) => startBatch(items, newArrays((length) => new Float32Array(length)), assembly).finish());
  }
  const allocate = (length: number): Float32Array => allocator.allocate('float32', length) as Float32Array;
  /** Array sets of finished subscriptions, handed to the next ones (an evaluation subscribes once per epoch). */
  const idle: BatchArrays[][] = [];
  return (source) =>
    defer(() => {
      const pool = idle.pop() ?? Array.from({ length: REUSED_BATCHES }, () => newArrays(allocate));
      let next = 0;
      const start = (items: readonly Sample[]): StartedBatch => {
        const arrays = pool[next]!;
        next = (next + 1) % pool.length;
        return startBatch(items, arrays, assembly);
      };
      const batches = assembly.later ? prepareAhead(start) : mapItems((items: readonly Sample[]) => start(items).finish());
      return source.pipe(
        batches,
        finalize(() => idle.push(pool)),
      );
    });
}
