import type { Batch } from '../core/batch.js';
import type { FloatArray } from '../core/dtype.js';
import { softmaxRows } from './predictions.js';

/** A row the network got wrong, with how sure it was. */
export interface ConfidentMistake {
  /** Where the row came from in its dataset (the batch's `indices`). */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** The softmax probability the network gave its (wrong) prediction. */
  readonly probability: number;
  /** The row's input values as the network saw them (normalised). */
  readonly input: Float64Array;
}

/** Orders mistakes most confident first; equal probabilities by dataset index, so the choice is deterministic. */
export function byConfidence(a: ConfidentMistake, b: ConfidentMistake): number {
  return b.probability - a.probability || a.index - b.index;
}

/**
 * The `limit` most confident mistakes among `kept` and the wrong rows of
 * `batch` (whose predictions are `predicted`, from `logits`). Only rows that
 * make the cut have their inputs copied.
 */
export function keepConfidentMistakes(
  kept: readonly ConfidentMistake[],
  batch: Batch,
  logits: FloatArray,
  predicted: Int32Array,
  classes: number,
  limit: number,
): ConfidentMistake[] {
  if (limit <= 0) return [];
  const wrong: number[] = [];
  for (let r = 0; r < batch.rows; r++) if (predicted[r] !== batch.labels[r]) wrong.push(r);
  if (wrong.length === 0) return [...kept];
  const probabilities = softmaxRows(logits, batch.rows, classes);
  const floor = kept.length < limit ? undefined : kept[kept.length - 1];
  const candidates: ConfidentMistake[] = [];
  for (const r of wrong) {
    const candidate = {
      index: batch.indices[r]!,
      label: batch.labels[r]!,
      predicted: predicted[r]!,
      probability: probabilities[r * classes + predicted[r]!]!,
      input: new Float64Array(0),
    };
    if (floor !== undefined && byConfidence(candidate, floor) >= 0) continue;
    candidates.push({ ...candidate, input: Float64Array.from(batch.x.subarray(r * batch.cols, (r + 1) * batch.cols)) });
  }
  return [...kept, ...candidates].sort(byConfidence).slice(0, limit);
}
