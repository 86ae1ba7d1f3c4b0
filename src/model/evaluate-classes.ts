import { map, reduce, type Observable } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import type { Batch } from '../core/batch.js';
import type { Network } from './network.js';
import { argmaxRows } from './predictions.js';
import { keepConfidentMistakes, type ConfidentMistake } from './confident-mistakes.js';

export type { ConfidentMistake } from './confident-mistakes.js';

export interface ClassMetrics {
  readonly count: number;
  /** Mean cross-entropy over all rows. */
  readonly loss: number;
  readonly accuracy: number;
  /** Per true class: the fraction predicted right (NaN for a class with no rows). */
  readonly classAccuracy: readonly number[];
  /** confusion[true][predicted]: how many rows. */
  readonly confusion: readonly (readonly number[])[];
  /** The `mistakes` most confidently misclassified rows, most confident first (ties: lower index first); empty unless asked for. */
  readonly mistakes: readonly ConfidentMistake[];
}

export interface EvaluateClassesOptions {
  /** How many of the most confident mistakes to keep, with their inputs (default 0). */
  readonly mistakes?: number;
}

/**
 * Scores `network` on every batch as `evaluate` does (same loss and
 * accuracy), and also tallies the confusion matrix and, if asked, keeps the
 * most confident mistakes.
 */
export function evaluateClasses(network: Network, batches: Observable<Batch | EpochEnd>, options: EvaluateClassesOptions = {}): Observable<ClassMetrics> {
  const classes = network.classes;
  const limit = options.mistakes ?? 0;
  return batches.pipe(
    reduce(
      (total, batch) => {
        if (isEpochEnd(batch)) return total;
        const { lossSum, correct, logits } = network.score(batch);
        const predicted = argmaxRows(logits, batch.rows, classes);
        for (let r = 0; r < batch.rows; r++) total.confusion[batch.labels[r]!]![predicted[r]!]!++;
        const mistakes = limit > 0 ? keepConfidentMistakes(total.mistakes, batch, logits, predicted, classes, limit) : total.mistakes;
        return { ...total, count: total.count + batch.rows, lossSum: total.lossSum + lossSum, correct: total.correct + correct, mistakes };
      },
      {
        count: 0,
        lossSum: 0,
        correct: 0,
        confusion: Array.from({ length: classes }, () => new Array<number>(classes).fill(0)),
        mistakes: [] as ConfidentMistake[],
      },
    ),
    map(({ count, lossSum, correct, confusion, mistakes }) => ({
      count,
      loss: lossSum / count,
      accuracy: correct / count,
      classAccuracy: confusion.map((row, c) => row[c]! / row.reduce((a, b) => a + b, 0)),
      confusion,
      mistakes,
    })),
  );
}
