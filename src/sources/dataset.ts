import { InputError } from '../errors.js';
import type { IdxData, IdxTensor } from './idx-format.js';
import { readIdxFile } from './idx-file.js';

export type LabelArray = Uint8Array | Int8Array | Int16Array | Int32Array;

/**
 * Images and their labels, held as the file gave them (bytes stay bytes).
 * Image i is `images.subarray(i * inputSize, (i + 1) * inputSize)`.
 */
export interface Dataset {
  readonly count: number;
  /** Values per image: the product of the image dimensions in the file. */
  readonly inputSize: number;
  /** Shape of one image, e.g. [28, 28]. */
  readonly shape: readonly number[];
  readonly images: IdxData;
  readonly labels: LabelArray;
  readonly classes: number;
}

export interface DatasetFiles {
  readonly images: string;
  readonly labels: string;
}

/**
 * Pairs an images tensor with a labels tensor. Labels must be integers in
 * [0, classes); names are used in error messages.
 */
export function pairDataset(
  images: IdxTensor,
  labels: IdxTensor,
  options: { readonly classes: number; readonly names: DatasetFiles },
): Dataset {
  const { classes, names } = options;
  if (images.dims.length < 2) {
    throw new InputError(`${names.images}: expected images with at least 2 dimensions (count, values...), got ${images.dims.length}`);
  }
  if (labels.dims.length !== 1) {
    throw new InputError(`${names.labels}: expected labels with 1 dimension, got ${labels.dims.join('x')}`);
  }
  if (!isLabelArray(labels.data)) {
    throw new InputError(`${names.labels}: labels must be an integer IDX type (ubyte, byte, short or int), got ${labels.type}`);
  }
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new InputError(
      `${names.labels}: ${labels.dims[0]} labels but ${names.images} has ${count} images; the counts must match`,
    );
  }
  const shape = images.dims.slice(1);
  const inputSize = shape.reduce((a, b) => a * b, 1);
  if (inputSize === 0) throw new InputError(`${names.images}: images have no values (shape ${shape.join('x')})`);
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    const label = data[i]!;
    if (label < 0 || label >= classes) {
      throw new InputError(`${names.labels}: label ${label} at item ${i} is out of range 0..${classes - 1}`);
    }
  }
  return { count, inputSize, shape, images: images.data, labels: data, classes };
}

/** Reads an images file and a labels file and pairs them. */
export async function loadDataset(files: DatasetFiles, options: { readonly classes: number }): Promise<Dataset> {
  const [images, labels] = await Promise.all([readIdxFile(files.images), readIdxFile(files.labels)]);
  return pairDataset(images, labels, { classes: options.classes, names: files });
}

function isLabelArray(data: IdxData): data is LabelArray {
  return data instanceof Uint8Array || data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
}
