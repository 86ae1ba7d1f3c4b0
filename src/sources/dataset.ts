import { InputError } from '../core/errors.js';
import { defaultCacheDir } from './download-cache.js';
import type { IdxContext } from './idx-chunks.js';
import { checkFiniteImages, checkFiniteValues, collectTensor, MAX_IN_MEMORY_BYTES } from './idx-consumers.js';
import type { IdxData, IdxHeader, IdxTensor, IdxTypeName } from './idx-format.js';
import { readIdxSource, type IdxSourceFacts, type SourceOptions } from './idx-source.js';

export type LabelArray = Uint8Array | Int8Array | Int16Array | Int32Array;

/** What every data set knows about its items, wherever the images are. */
export interface DatasetShape {
  readonly count: number;
  /** Values per image: the product of the image dimensions in the file. */
  readonly inputSize: number;
  /** Shape of one image, e.g. [28, 28]. */
  readonly shape: readonly number[];
  /** The IDX element type of the images. */
  readonly elementType: IdxTypeName;
  /** Labels are integers in [0, classes). */
  readonly classes: number;
  readonly labels: LabelArray;
  /** SHA-256 of the images and labels files as stored (set by loadDataset). */
  readonly digests?: { readonly images: string; readonly labels: string } | undefined;
  /** The images and labels as given (paths or URLs), for messages. */
  readonly files?: DatasetFiles | undefined;
}

/**
 * Images and their labels held in memory, as the file gave them (bytes stay
 * bytes). Image i is `images.subarray(i * inputSize, (i + 1) * inputSize)`.
 */
export interface InMemoryDataset extends DatasetShape {
  readonly storage: 'memory';
  readonly images: IdxData;
}

/**
 * A data set whose images stay on disk and are read again at every pass
 * (the labels, a few bytes each, are held in memory).
 */
export interface StreamedDataset extends DatasetShape {
  readonly storage: 'stream';
  /** The checked images file: local path or, for a URL, its cache file. */
  readonly images: IdxSourceFacts;
}

/** A data set as loadDataset returns it: images held in memory, or streamed from disk at every pass. */
export type Dataset = InMemoryDataset | StreamedDataset;

export interface DatasetFiles {
  /** Path or http(s) URL of the images, plain or gzip. */
  readonly images: string;
  readonly labels: string;
}

export interface LoadDatasetOptions {
  /** Labels must be below this; by default the largest label plus one (at least 2). */
  readonly classes?: number;
  /** true: always stream the images from disk; false: always hold them in memory; default: stream above memoryBudget. */
  readonly stream?: boolean;
  /** Bytes of images above which they are streamed; default 1 GiB. */
  readonly memoryBudget?: number;
  /** How URLs are fetched and inputs verified; default cache folder from the environment. */
  readonly source?: SourceOptions;
  /**
   * Where images held in memory are stored when their size is known before
   * reading (a plain local file): e.g. Kernels.allocateBytes, so the kernels
   * read batches straight from the data set. Default: a new Uint8Array.
   */
  readonly allocate?: (bytes: number) => Uint8Array;
}

export const DEFAULT_MEMORY_BUDGET = 2 ** 30;

/** The largest number of classes taken from the labels alone; more must be asked for (`classes`). */
export const MAX_CLASSES = 65536;

/**
 * Reads an images input and a labels input (paths or URLs, plain or gzip),
 * checks that they pair up, and keeps the images in memory or on disk.
 */
export async function loadDataset(files: DatasetFiles, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const source = options.source ?? { cacheDir: defaultCacheDir(process.env) };
  const budget = Math.min(options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, MAX_IN_MEMORY_BYTES);
  const streamed = (header: IdxHeader, context: IdxContext): boolean => {
    if (context.rereadable) return options.stream ?? header.dataBytes > budget;
    // A pipe can be read once: its images are held, if they fit.
    if (options.stream === true) throw new InputError(`${files.images}: a pipe or device can be read only once, so it cannot be streamed from disk; give a file`);
    return false;
  };
  const [images, labels] = await Promise.all([
    readIdxSource(files.images, source, (header, context) =>
      streamed(header, context) ? checkFiniteValues(header, context) : collectTensor(header, context, options.allocate),
    ),
    readIdxSource(files.labels, source, collectTensor),
  ]);
  const tensor = images.result;
  const digests = { images: images.facts.sha256, labels: labels.facts.sha256 };
  if (tensor !== undefined) return { ...pairDataset(tensor, labels.result, { classes: options.classes, names: files }), digests };
  const shape = checkImages(images.facts.header, files);
  const checked = checkLabels(labels.result, shape.count, files, options.classes);
  return { storage: 'stream', ...shape, ...checked, images: images.facts, digests, files };
}

/**
 * Pairs an images tensor with a labels tensor. Labels must be integers in
 * [0, classes); names are used in error messages.
 */
export function pairDataset(
  images: IdxTensor,
  labels: IdxTensor,
  options: { readonly classes?: number | undefined; readonly names: DatasetFiles },
): InMemoryDataset {
  const shape = checkImages(images, options.names);
  checkFiniteImages(images.data, shape.inputSize, options.names.images);
  const checked = checkLabels(labels, shape.count, options.names, options.classes);
  return { storage: 'memory', ...shape, ...checked, images: images.data, files: options.names };
}

/** Throws an InputError naming the labels file unless every label of `set` is below `classes`. */
export function checkLabelsBelow(set: DatasetShape, classes: number, what: string): void {
  const at = set.labels.findIndex((label) => label >= classes);
  if (at >= 0) {
    throw new InputError(`${set.files?.labels ?? 'labels'}: label ${set.labels[at]} at item ${at} is not one of the ${classes} classes of ${what} (0 to ${classes - 1})`);
  }
}

function checkImages(header: IdxHeader, names: DatasetFiles): Omit<DatasetShape, 'classes' | 'labels'> {
  if (header.dims.length < 2) {
    throw new InputError(`${names.images}: expected images with at least 2 dimensions (count, values...), got ${header.dims.length}`);
  }
  const shape = header.dims.slice(1);
  // A zero anywhere first: the product of the others could overflow (the file's size is exact, the product need not be).
  if (shape.includes(0)) throw new InputError(`${names.images}: images have no values (shape ${shape.join('x')})`);
  const inputSize = shape.reduce((a, b) => a * b, 1);
  if (header.dims[0] === 0) throw new InputError(`${names.images}: holds no images`);
  return { count: header.dims[0]!, inputSize, shape, elementType: header.type };
}

function checkLabels(
  labels: IdxTensor,
  count: number,
  names: DatasetFiles,
  classes: number | undefined,
): { labels: LabelArray; classes: number } {
  if (labels.dims.length !== 1) {
    throw new InputError(`${names.labels}: expected labels with 1 dimension, got ${labels.dims.join('x')}`);
  }
  const data = labels.data;
  if (!isLabelArray(data)) {
    throw new InputError(`${names.labels}: labels must be an integer IDX type (ubyte, byte, short or int), got ${labels.type}`);
  }
  if (labels.dims[0] !== count) {
    throw new InputError(`${names.labels}: ${labels.dims[0]} labels but ${names.images} has ${count} images; the counts must match`);
  }
  let largest = 0;
  for (let i = 0; i < data.length; i++) {
    const label = data[i]!;
    if (label < 0 || label >= (classes ?? MAX_CLASSES)) {
      const problem =
        label < 0 ? 'negative; labels count from 0'
        : classes === undefined ? `above ${MAX_CLASSES - 1}, the largest label taken when the number of classes is not given`
        : `out of range 0..${classes - 1}`;
      throw new InputError(`${names.labels}: label ${label} at item ${i} is ${problem}`);
    }
    if (label > largest) largest = label;
  }
  return { labels: data, classes: classes ?? Math.max(2, largest + 1) };
}

function isLabelArray(data: IdxData): data is LabelArray {
  return data instanceof Uint8Array || data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
}
