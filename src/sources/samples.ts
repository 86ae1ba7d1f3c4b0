import { Observable } from 'rxjs';
import type { Dataset, SampleSet, StreamedDataset } from './dataset.js';
import { eachItem } from './idx-consumers.js';
import type { IdxData } from './idx-format.js';
import { rereadIdx } from './idx-reread.js';

/** One image and its label. `image` may be a view into the dataset: never write to it. */
export interface Sample {
  readonly index: number;
  readonly image: IdxData;
  readonly label: number;
}

/**
 * Emits every sample of `set` in file order, then completes: one pass,
 * one epoch. Cold: each subscription starts again from the first sample,
 * from memory or (for a streamed set) by reading the file again.
 */
export function samples(set: SampleSet): Observable<Sample> {
  return set.storage === 'memory' ? samplesInMemory(set) : samplesFromDisk(set);
}

function samplesInMemory(dataset: Dataset): Observable<Sample> {
  return new Observable<Sample>((subscriber) => {
    const { images, labels, inputSize, count } = dataset;
    for (let index = 0; index < count && !subscriber.closed; index++) {
      const image = images.subarray(index * inputSize, (index + 1) * inputSize);
      subscriber.next({ index, image, label: labels[index]! });
    }
    subscriber.complete();
  });
}

/** Each image is its own new array, so a shuffle buffer holding some never pins a whole read chunk. */
function samplesFromDisk(set: StreamedDataset): Observable<Sample> {
  return new Observable<Sample>((subscriber) => {
    const pass = async (): Promise<void> => {
      await rereadIdx(set.images, (header) =>
        eachItem(header, (image, index) => {
          subscriber.next({ index, image, label: set.labels[index]! });
          return !subscriber.closed;
        }),
      );
      subscriber.complete();
    };
    pass().catch((error: unknown) => subscriber.error(error));
  });
}
