import { beforeEach, describe, expect, it } from 'vitest';
import { from, lastValueFrom, map, skip, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { augment, EpochEnd, InputError, isEpochEnd, repeatEpochs, SettingError, transformImage, type Sample } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const SIZE = 7;

/** A 7x7 byte image with a distinct value at every pixel (1..49). */
function numbered(index = 0): Sample {
  return { index, label: index % 10, shape: [SIZE, SIZE], image: Uint8Array.from({ length: SIZE * SIZE }, (_, i) => i + 1) };
}

/** The pixel at (x, y) of a row-major image of width `width`. */
const pixel = (image: ArrayLike<number>, x: number, y: number, width = SIZE): number => image[y * width + x]!;

function imagesOf(items: readonly (Sample | EpochEnd)[]): number[][] {
  return items.filter((item): item is Sample => !isEpochEnd(item)).map((s) => Array.from(s.image));
}

async function run(samples: readonly Sample[], epochs: number, options: Parameters<typeof augment>[0]): Promise<(Sample | EpochEnd)[]> {
  return lastValueFrom(from(samples).pipe(repeatEpochs(epochs), augment(options), toArray()));
}

describe('augment', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('emits one image per sample as it comes and passes epoch markers unchanged', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const E = new EpochEnd(1);
      const F = new EpochEnd(2);
      const source = cold<Sample | EpochEnd>('a-b-E--c-(F|)', { a: numbered(0), b: numbered(1), c: numbered(2), E, F });
      const kinds = source.pipe(
        augment({ shift: 2, rotate: 10, scale: 1.1, seed: 3 }),
        map((item) => (isEpochEnd(item) ? item : `${item.index}:${item.label}:${item.image.length}`)),
      );
      expectObservable(kinds).toBe('a-b-E--c-(F|)', { a: '0:0:49', b: '1:1:49', c: '2:2:49', E, F });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('passes errors through and stops work when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold<Sample | EpochEnd>('a-#', { a: numbered() });
      expectObservable(failing.pipe(augment({ seed: 1 }))).toBe('a-#', { a: numbered() });
      const endless = cold<Sample | EpochEnd>('a-a-a-a-', { a: numbered() });
      expectObservable(endless.pipe(augment({ seed: 1 })), '^--!').toBe('a-a', { a: numbered() });
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });

  it('with neutral ranges passes every sample through as it is', async () => {
    const samples = [numbered(0), numbered(1)];
    const out = await run(samples, 2, { shift: 0, rotate: 0, scale: 1, seed: 5 });
    expect(out.filter((s) => !isEpochEnd(s))).toEqual([...samples, ...samples]);
    expect(out[0]).toBe(samples[0]);
  });

  it('gives the same images for the same seed, and others for another seed', async () => {
    const samples = Array.from({ length: 8 }, (_, i) => numbered(i));
    const options = { shift: 2, rotate: 15, scale: 1.2, seed: 11 };
    const first = imagesOf(await run(samples, 2, options));
    expect(imagesOf(await run(samples, 2, options))).toEqual(first);
    expect(imagesOf(await run(samples, 2, { ...options, seed: 12 }))).not.toEqual(first);
  });

  it('augments each epoch and each position differently', async () => {
    const samples = Array.from({ length: 8 }, () => numbered(0));
    const images = imagesOf(await run(samples, 2, { shift: 2, rotate: 15, seed: 4 }));
    const [epoch1, epoch2] = [images.slice(0, 8), images.slice(8)];
    expect(epoch2).not.toEqual(epoch1);
    expect(new Set(epoch1.map((image) => image.join(','))).size).toBeGreaterThan(4);
  });

  it("makes epoch k's images a function of (seed, k, position): a stream started at epoch 2, or skipping samples, sees the same", async () => {
    const samples = Array.from({ length: 6 }, (_, i) => numbered(i));
    const options = { shift: 3, rotate: 20, scale: 1.3, seed: 9 };
    const whole = imagesOf(await run(samples, 3, options));
    const fromTwo = await lastValueFrom(from(samples).pipe(repeatEpochs(2, { first: 2 }), augment({ ...options, firstEpoch: 2 }), toArray()));
    expect(imagesOf(fromTwo)).toEqual(whole.slice(6));
    const resumed = await lastValueFrom(from(samples).pipe(repeatEpochs(2, { first: 2 }), augment({ ...options, firstEpoch: 2 }), skip(4), toArray()));
    expect(imagesOf(resumed)).toEqual(whole.slice(10));
  });

  it('shifts only by whole pixels up to `shift`, so every image is a translation of the original with zero fill', async () => {
    const samples = Array.from({ length: 40 }, (_, i) => numbered(i));
    const images = imagesOf(await run(samples, 1, { shift: 1, seed: 2 }));
    const shifts = new Set<string>();
    for (const image of images) {
      const match = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => ({ dx, dy }))).find(({ dx, dy }) => {
        const expected = transformImage(numbered().image, [SIZE, SIZE], { dx, dy, angle: 0, zoom: 1 });
        return Array.from(expected).join() === image.join();
      });
      expect(match).toBeDefined();
      shifts.add(`${match!.dx},${match!.dy}`);
    }
    expect(shifts.size).toBe(9);
  });

  it('refuses images without a height and width, and ranges out of bounds', async () => {
    const flat: Sample = { index: 0, label: 0, image: new Uint8Array(4) };
    await expect(lastValueFrom(from([flat]).pipe(augment({ shift: 1, seed: 1 })))).rejects.toThrow(InputError);
    await expect(lastValueFrom(from([flat]).pipe(augment({ shift: 1, seed: 1 })))).rejects.toThrow('augment: needs images with a height and width, got samples of shape [4]');
    expect(() => augment({ shift: 1.5, seed: 1 })).toThrow(SettingError);
    expect(() => augment({ shift: -1, seed: 1 })).toThrow(/shift/);
    expect(() => augment({ rotate: 181, seed: 1 })).toThrow(/rotate/);
    expect(() => augment({ scale: 0.9, seed: 1 })).toThrow(/scale/);
    expect(() => augment({ scale: Number.NaN, seed: 1 })).toThrow(/scale/);
    expect(() => augment({ seed: -1 })).toThrow(/seed/);
  });
});

describe('transformImage', () => {
  const image = numbered().image;

  it('moves a known image exactly by a shift, filling with zeros', () => {
    const out = transformImage(image, [SIZE, SIZE], { dx: 2, dy: -1, angle: 0, zoom: 1 });
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const [sx, sy] = [x - 2, y + 1];
        const inside = sx >= 0 && sx < SIZE && sy >= 0 && sy < SIZE;
        expect(pixel(out, x, y)).toBe(inside ? pixel(image, sx, sy) : 0);
      }
    }
    expect(out).toBeInstanceOf(Uint8Array);
  });

  it('is the identity for no shift, rotation 0 and zoom 1, and with bilinear sampling for a tiny rotation', () => {
    expect(Array.from(transformImage(image, [SIZE, SIZE], { dx: 0, dy: 0, angle: 0, zoom: 1 }))).toEqual(Array.from(image));
    expect(Array.from(transformImage(image, [SIZE, SIZE], { dx: 0, dy: 0, angle: 1e-9, zoom: 1 }))).toEqual(Array.from(image));
  });

  it('turns a square image a quarter counterclockwise exactly for 90 degrees', () => {
    const out = transformImage(image, [SIZE, SIZE], { dx: 0, dy: 0, angle: 90, zoom: 1 });
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) expect(pixel(out, x, y)).toBe(pixel(image, SIZE - 1 - y, x));
  });

  it('zooms about the centre: by 2 the centre pixel stays, and its neighbours are halfway between it and the next', () => {
    const out = transformImage(image, [SIZE, SIZE], { dx: 0, dy: 0, angle: 0, zoom: 2 });
    expect(pixel(out, 3, 3)).toBe(pixel(image, 3, 3));
    expect(pixel(out, 4, 3)).toBe(Math.round((pixel(image, 3, 3) + pixel(image, 4, 3)) / 2));
    expect(pixel(out, 5, 3)).toBe(pixel(image, 4, 3));
    const smaller = transformImage(image, [SIZE, SIZE], { dx: 0, dy: 0, angle: 0, zoom: 0.5 });
    expect(pixel(smaller, 0, 0)).toBe(0); // brought in from outside
    expect(pixel(smaller, 2, 3)).toBe(pixel(image, 1, 3));
  });

  it('transforms every channel alike and keeps float images unrounded', () => {
    const two = Float32Array.from({ length: 2 * 9 }, (_, i) => (i % 9) + 0.25);
    const out = transformImage(two, [2, 3, 3], { dx: 0, dy: 0, angle: 30, zoom: 1.1 });
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out.subarray(0, 9))).toEqual(Array.from(out.subarray(9)));
    expect(Array.from(out).some((v) => !Number.isInteger(v * 4))).toBe(true);
  });
});
