import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledMnist, encodeIdx, readIdxFile } from '../../src/index.js';

export interface SliceFiles {
  readonly dir: string;
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

/** Writes the first `train` training and `test` test images of the bundled MNIST as IDX files in a temp folder. */
export async function writeMnistSlice(train: number, test: number): Promise<SliceFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'rxnn-slice-'));
  const mnist = bundledMnist();
  const files = {
    dir,
    trainImages: join(dir, 'train-images-idx3-ubyte'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 't10k-images-idx3-ubyte'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte'),
  };
  await sliceIdx(mnist.train.images, files.trainImages, train);
  await sliceIdx(mnist.train.labels, files.trainLabels, train);
  await sliceIdx(mnist.test.images, files.testImages, test);
  await sliceIdx(mnist.test.labels, files.testLabels, test);
  return files;
}

async function sliceIdx(from: string, to: string, count: number): Promise<void> {
  const tensor = await readIdxFile(from);
  const per = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
  const dims = [count, ...tensor.dims.slice(1)];
  await writeFile(to, encodeIdx(tensor.type, dims, tensor.data.subarray(0, count * per)));
}
