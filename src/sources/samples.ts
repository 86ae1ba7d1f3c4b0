import { Observable } from 'rxjs';
import type { IdxData } from './idx-format.js';
import type { Dataset } from './dataset.js';

/** One image and its label. `image` is a view into the dataset: never write to it. */
export interface Sample {
  readonly index: number;
  readonly image: IdxData;
  readonly label: number;
}

/**
 * Emits every sample of `dataset` in file order, then completes: one pass,
 * one epoch. Cold: each subscription starts again from the first sample.
 */
export function samples(dataset: Dataset): Observable<Sample> {
  return new Observable<Sample>((subscriber) => {
    const { images, labels, inputSize, count } = dataset;
    for (let index = 0; index < count && !subscriber.closed; index++) {
      const image = images.subarray(index * inputSize, (index + 1) * inputSize);
      subscriber.next({ index, image, label: labels[index]! });
    }
    subscriber.complete();
  });
}
