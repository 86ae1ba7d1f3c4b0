import { map, reduce, type Observable } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import type { Network } from './network.js';

export interface Metrics {
  readonly count: number;
  /** Mean cross-entropy over all rows. */
  readonly loss: number;
  readonly accuracy: number;
}

/**
 * Scores `network` on every batch of `batches` (epoch markers are skipped),
 * emitting one Metrics when they complete.
 */
export function evaluate(network: Network, batches: Observable<Batch | EpochEnd>): Observable<Metrics> {
  return batches.pipe(
    reduce(
      (total, batch) => {
        if (isEpochEnd(batch)) return total;
        const { lossSum, correct } = network.score(batch);
        return { count: total.count + batch.rows, lossSum: total.lossSum + lossSum, correct: total.correct + correct };
      },
      { count: 0, lossSum: 0, correct: 0 },
    ),
    map(({ count, lossSum, correct }) => ({ count, loss: lossSum / count, accuracy: correct / count })),
  );
}
