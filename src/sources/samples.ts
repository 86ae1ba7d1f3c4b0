import { Observable } from 'rxjs';
import type { Dataset, InMemoryDataset, StreamedDataset } from './dataset.js';
import { eachItem } from './idx-consumers.js';
import type { IdxData } from './idx-format.js';
import { rereadIdx } from './idx-reread.js';

/** One image and its label. `image` may be a view into the dataset: never write to it. */
export interface Sample {
  readonly index: number;
  readonly image: IdxData;
  readonly label: number;
  /** The image's dimensions in its file (e.g. [28, 28]); absent: a flat vector. */
  readonly shape?: readonly number[];
}

/**
 * Emits every sample of `set` in file order, then completes: one pass,
 * one epoch. Cold: each subscription starts again from the first sample,
 * from memory or (for a streamed set) by reading the file again.
 */
export function samples(set: Dataset): Observable<Sample> {
  return set.storage === 'memory' ? samplesInMemory(set) : samplesFromDisk(set);
}

/**
 * A sample whose image lies in its data set's array, at `at`: the view
 * `image` is made when asked for, so a pass over the data creates no views
 * (normalize reads `data` at `at` directly).
 */
export class StoredSample implements Sample {
  constructor(
    /** The data set's images, all of them. */
    readonly data: IdxData,
    /** Where this image's `size` values begin in `data`. */
    readonly at: number,
    readonly size: number,
    readonly index: number,
    readonly label: number,
    readonly shape: readonly number[] = [size],
  ) {}

  get image(): IdxData {
    return this.data.subarray(this.at, this.at + this.size);
  }
}

/**
 * The samples of each in-memory data set, made on its first pass and
 * emitted again by every later one: they never change, and making 60,000
 * new ones per epoch (and per evaluation) leaves megabytes of garbage
 * behind. Keyed weakly by the data set (whose fields do not change), so
 * they go with it.
 */
const stored = new WeakMap<InMemoryDataset, readonly StoredSample[]>();

function storedSamples(dataset: InMemoryDataset): readonly StoredSample[] {
  let list = stored.get(dataset);
  if (list === undefined) {
    const { images, labels, inputSize, count, shape } = dataset;
    list = Array.from({ length: count }, (_, index) => new StoredSample(images, index * inputSize, inputSize, index, labels[index]!, shape));
    stored.set(dataset, list);
  }
  return list;
}

function samplesInMemory(dataset: InMemoryDataset): Observable<Sample> {
  return new Observable<Sample>((subscriber) => {
    const list = storedSamples(dataset);
    for (let index = 0; index < list.length && !subscriber.closed; index++) subscriber.next(list[index]!);
    subscriber.complete();
  });
}

/** Each image is its own new array, so a shuffle buffer holding some never pins a whole read chunk. */
function samplesFromDisk(set: StreamedDataset): Observable<Sample> {
  return new Observable<Sample>((subscriber) => {
    const pass = async (): Promise<void> => {
      await rereadIdx(set.images, (header) =>
        eachItem(header, (image, index) => {
          subscriber.next({ index, image, label: set.labels[index]!, shape: set.shape });
          return !subscriber.closed;
        }),
      );
      subscriber.complete();
    };
    pass().catch((error: unknown) => subscriber.error(error));
  });
}
