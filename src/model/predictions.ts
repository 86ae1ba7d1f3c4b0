import { argmaxRow } from '../core/argmax.js';
import type { FloatArray } from '../core/dtype.js';

/** The index of each row's largest score (the first, on ties, as countCorrect counts). */
export function argmaxRows(scores: FloatArray, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmaxRow(scores, r * classes, classes);
  return out;
}

/** Softmax of each row of [rows × classes] logits, in float64. */
export function softmaxRows(logits: FloatArray, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[row + j]!);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += out[row + j] = Math.exp(logits[row + j]! - max);
    for (let j = 0; j < classes; j++) out[row + j] = out[row + j]! / sum;
  }
  return out;
}
