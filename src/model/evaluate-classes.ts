import { map, reduce, type Observable } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import type { Network } from './network.js';
import { argmaxRows } from './predictions.js';

export interface ClassMetrics {
  readonly count: number;
  /** Mean cross-entropy over all rows. */
  readonly loss: number;
  readonly accuracy: number;
  /** Per true class: the fraction predicted right (NaN for a class with no rows). */
  readonly classAccuracy: readonly number[];
  /** confusion[true][predicted]: how many rows. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Scores `network` on every batch as `evaluate` does (same loss and
 * accuracy), and also tallies the confusion matrix.
 */
export function evaluateClasses(network: Network, batches: Observable<Batch | EpochEnd>): Observable<ClassMetrics> {
  const classes = network.classes;
  return batches.pipe(
    reduce(
      (total, batch) => {
        if (isEpochEnd(batch)) return total;
        const { lossSum, correct, logits } = network.score(batch);
        const predicted = argmaxRows(logits, batch.rows, classes);
        for (let r = 0; r < batch.rows; r++) total.confusion[batch.labels[r]!]![predicted[r]!]!++;
        return { ...total, count: total.count + batch.rows, lossSum: total.lossSum + lossSum, correct: total.correct + correct };
      },
      { count: 0, lossSum: 0, correct: 0, confusion: Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) },
    ),
    map(({ count, lossSum, correct, confusion }) => ({
      count,
      loss: lossSum / count,
      accuracy: correct / count,
      classAccuracy: confusion.map((row, c) => row[c]! / row.reduce((a, b) => a + b, 0)),
      confusion,
    })),
  );
}
