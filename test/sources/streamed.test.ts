import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, take, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, InputError, loadDataset, samples, type Sample, type Dataset } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';

let slice: SliceFiles;
let gzImages: string;
beforeAll(async () => {
  slice = await writeMnistSlice(700, 10);
  gzImages = join(slice.dir, 'train-images.gz');
  await writeFile(gzImages, gzipSync(await readFile(slice.trainImages)));
});

const files = (images = slice.trainImages) => ({ images, labels: slice.trainLabels });
const all = (set: Dataset): Promise<Sample[]> => lastValueFrom(samples(set).pipe(toArray()));
const plainSample = (s: Sample) => [s.index, s.label, Buffer.from(s.image as Uint8Array).toString('base64')];

describe('a data set streamed from disk', () => {
  it('gives the same samples as the one held in memory, plain or gzip, pass after pass', async () => {
    const memory = await loadDataset(files(), { stream: false });
    expect(memory.storage).toBe('memory');
    const reference = (await all(memory)).map(plainSample);
    for (const images of [slice.trainImages, gzImages]) {
      const streamed = await loadDataset(files(images), { stream: true });
      expect(streamed).toMatchObject({ storage: 'stream', count: 700, inputSize: 784, shape: [28, 28], classes: 10 });
      expect((await all(streamed)).map(plainSample)).toEqual(reference);
      expect((await all(streamed)).map(plainSample)).toEqual(reference);
    }
  });

  it('gives each image its own array, so holding a few never pins a whole read chunk', async () => {
    const streamed = await loadDataset(files(), { stream: true });
    const [a, b] = await lastValueFrom(samples(streamed).pipe(take(2), toArray()));
    expect(a!.image.buffer).not.toBe(b!.image.buffer);
    expect(a!.image.buffer.byteLength).toBe(784);
  });

  it('streams on its own when the images exceed the memory budget', async () => {
    expect((await loadDataset(files(), { memoryBudget: 700 * 784 - 1 })).storage).toBe('stream');
    expect((await loadDataset(files(), { memoryBudget: 700 * 784 })).storage).toBe('memory');
  });

  it('stops reading when unsubscribed', async () => {
    const streamed = await loadDataset(files(gzImages), { stream: true });
    const first = await lastValueFrom(samples(streamed).pipe(take(3), toArray()));
    expect(first.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('refuses to go on if the file changes shape between passes', async () => {
    const path = join(slice.dir, 'changing');
    await writeFile(path, await readFile(slice.trainImages));
    const streamed = await loadDataset(files(path), { stream: true });
    await writeFile(path, encodeIdx('ubyte', [700, 2, 2], new Uint8Array(2800)));
    const error = await all(streamed).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/changing: changed while training: now 700x2x2 ubyte, was 700x28x28 ubyte/);
  });
});
