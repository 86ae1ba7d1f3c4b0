import { describe, expect, it } from 'vitest';
import { lastValueFrom, take, toArray } from 'rxjs';
import { bundledMnist, InputError, loadDataset, pairDataset, samples, type IdxTensor } from '../../src/index.js';

const tensor = (type: IdxTensor['type'], dims: number[], data: IdxTensor['data']): IdxTensor => ({
  type,
  typeCode: 0x08,
  dims,
  headerBytes: 0,
  dataBytes: data.byteLength,
  data,
});
const names = { images: 'imgs.idx', labels: 'labels.idx' };
const images = tensor('ubyte', [3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i));

describe('pairDataset', () => {
  it('pairs images with labels and takes the input size from the file', () => {
    const ds = pairDataset(images, tensor('ubyte', [3], Uint8Array.from([2, 0, 1])), { classes: 3, names });
    expect(ds.count).toBe(3);
    expect(ds.inputSize).toBe(4);
    expect(ds.shape).toEqual([2, 2]);
  });

  it('rejects counts that differ, naming both files', () => {
    expect(() => pairDataset(images, tensor('ubyte', [2], Uint8Array.from([0, 1])), { classes: 3, names })).toThrow(
      new InputError('labels.idx: 2 labels but imgs.idx has 3 images; the counts must match'),
    );
  });

  it('rejects a label out of range, naming the item', () => {
    expect(() => pairDataset(images, tensor('ubyte', [3], Uint8Array.from([0, 3, 1])), { classes: 3, names })).toThrow(
      /labels\.idx: label 3 at item 1 is out of range 0\.\.2/,
    );
    expect(() => pairDataset(images, tensor('byte', [3], Int8Array.from([0, -1, 1])), { classes: 3, names })).toThrow(
      /label -1 at item 1/,
    );
  });

  it('rejects labels that are not integers or not one-dimensional, and images without per-item values', () => {
    expect(() => pairDataset(images, tensor('float', [3], Float32Array.from([0, 1, 2])), { classes: 3, names })).toThrow(
      /must be an integer IDX type/,
    );
    expect(() => pairDataset(images, tensor('ubyte', [3, 1], Uint8Array.from([0, 1, 2])), { classes: 3, names })).toThrow(
      /expected labels with 1 dimension/,
    );
    expect(() =>
      pairDataset(tensor('ubyte', [3], Uint8Array.from([0, 1, 2])), tensor('ubyte', [3], Uint8Array.from([0, 1, 2])), {
        classes: 3,
        names,
      }),
    ).toThrow(/at least 2 dimensions/);
  });
});

describe('samples', () => {
  const ds = pairDataset(images, tensor('ubyte', [3], Uint8Array.from([2, 0, 1])), { classes: 3, names });

  it('emits every sample in order, with its image as a view of the dataset', async () => {
    const all = await lastValueFrom(samples(ds).pipe(toArray()));
    expect(all.map((s) => [s.index, s.label, Array.from(s.image)])).toEqual([
      [0, 2, [0, 1, 2, 3]],
      [1, 0, [4, 5, 6, 7]],
      [2, 1, [8, 9, 10, 11]],
    ]);
    expect(all[1]!.image.buffer).toBe(ds.images.buffer);
  });

  it('starts again for every subscription and stops when unsubscribed', async () => {
    expect((await lastValueFrom(samples(ds).pipe(take(2), toArray()))).map((s) => s.index)).toEqual([0, 1]);
    expect((await lastValueFrom(samples(ds).pipe(toArray()))).map((s) => s.index)).toEqual([0, 1, 2]);
  });
});

describe('the bundled MNIST', () => {
  it('loads as bytes with the canonical counts and shape', async () => {
    const mnist = bundledMnist();
    const [train, test] = await Promise.all([loadDataset(mnist.train, { classes: 10 }), loadDataset(mnist.test, { classes: 10 })]);
    expect([train.count, train.inputSize, ...train.shape]).toEqual([60000, 784, 28, 28]);
    expect([test.count, test.inputSize]).toEqual([10000, 784]);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(Array.from(train.labels).filter((l) => l === 0)).toHaveLength(5923);
  });
});
