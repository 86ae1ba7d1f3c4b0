import { describe, expect, it } from 'vitest';
import { firstValueFrom, of } from 'rxjs';
import { loadDataset, minibatch, normalize, samples, sampleShapeOf, type Batch } from '../../src/index.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

describe('batches carry their sample shape', () => {
  it('as [channels, height, width] for images, [n] for vectors', () => {
    expect([sampleShapeOf([784]), sampleShapeOf([28, 28]), sampleShapeOf([3, 32, 32])]).toEqual([[784], [1, 28, 28], [3, 32, 32]]);
  });

  it('from the IDX file, held in memory or streamed, and [cols] for samples without one', async () => {
    const files = await writeMnistSlice(5, 1);
    for (const stream of [false, true]) {
      const set = await loadDataset({ images: files.trainImages, labels: files.trainLabels }, { stream });
      const batch = (await firstValueFrom(samples(set).pipe(minibatch({ size: 4 }), normalize()))) as Batch;
      expect([batch.rows, batch.cols, batch.sampleShape]).toEqual([4, 784, [1, 28, 28]]);
    }
    const plain = (await firstValueFrom(of([{ index: 0, image: Uint8Array.from([1, 2, 3]), label: 0 }]).pipe(normalize()))) as Batch;
    expect(plain.sampleShape).toEqual([3]);
  });
});
