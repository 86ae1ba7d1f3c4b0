import type { FloatArray } from './dtype.js';

/** The index of the largest of scores[at .. at + n) relative to `at` (the first, on ties). */
export function argmaxRow(scores: FloatArray, at: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (scores[at + j]! > scores[at + best]!) best = j;
  return best;
}
