import { defer, finalize, type OperatorFunction } from 'rxjs';
import type { Batch } from '../model/batch.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import type { Sample } from '../sources/samples.js';
import { checkFinite } from '../checks.js';
import { newArrays, startBatch, type Assembly, type BatchArrays, type Normalization, type StartedBatch } from './batch-assembly.js';
import type { EpochEnd } from './epoch-end.js';
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
   * Kernels to allocate the input arrays (so wasm products read them in
   * place) and to scale them (default: the TypeScript kernels).
   */
  readonly kernels?: Kernels;
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
  const kernels = options.kernels ?? tsKernels;
  // non-zeros only into reused arrays: each set keeps its container in the kernels' memory
  const sparse = options.reuse === true ? options.sparse : undefined;
  const assembly: Assembly = { normalization, kernels, sparse, later: sparse !== undefined && options.lookahead === true };
  // Kernel memory is never given back, so only arrays that are reused come from it.
  if (options.reuse !== true) {
    return mapItems((items: readonly Sample[]) => startBatch(items, newArrays((length) => new Float32Array(length)), assembly).finish());
  }
  const allocate = (length: number): Float32Array => kernels.allocate('float32', length) as Float32Array;
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
