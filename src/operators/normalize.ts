import type { OperatorFunction } from 'rxjs';
import type { Batch } from '../model/batch.js';
import type { Sample } from '../sources/samples.js';
import { checkFinite } from '../checks.js';
import type { EpochEnd } from './epoch-end.js';
import { mapItems } from './map-items.js';

/** x' = x * scale + offset, applied to every input value. */
export interface Normalization {
  readonly scale: number;
  readonly offset: number;
}

/** Bytes 0..255 to 0..1, as the lesson does. */
export const UNIT_RANGE: Normalization = { scale: 1 / 255, offset: 0 };

/**
 * Turns arrays of samples into Float32 batches. The samples' images are
 * only read; each batch gets new arrays.
 */
export function normalize(
  normalization: Normalization = UNIT_RANGE,
): OperatorFunction<readonly Sample[] | EpochEnd, Batch | EpochEnd> {
  const { scale, offset } = normalization;
  checkFinite('scale', scale);
  checkFinite('offset', offset);
  return mapItems((items: readonly Sample[]) => toBatch(items, scale, offset));
}

function toBatch(items: readonly Sample[], scale: number, offset: number): Batch {
  const rows = items.length;
  const cols = items[0]?.image.length ?? 0;
  const x = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  const indices = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const { image, label, index } = items[r]!;
    if (image.length !== cols) {
      throw new RangeError(`normalize: sample ${index} has ${image.length} values, the batch's first has ${cols}`);
    }
    const base = r * cols;
    for (let c = 0; c < cols; c++) x[base + c] = image[c]! * scale + offset;
    labels[r] = label;
    indices[r] = index;
  }
  return { rows, cols, x, labels, indices };
}
