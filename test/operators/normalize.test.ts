import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import { createWasmKernels, EpochEnd, normalize, StoredSample, tsKernels, type Batch, type Sample } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

const sample = (index: number, pixels: number[], label: number): Sample => ({
  index,
  image: Uint8Array.from(pixels),
  label,
});

describe('normalize', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('turns arrays of samples into Float32 batches (x·scale + offset) and passes markers', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = sample(4, [0, 128, 255], 7);
      const s1 = sample(9, [255, 0, 51], 2);
      const E = new EpochEnd(1);
      const source = cold('a-E-b|', { a: [s0, s1], b: [s1], E });
      const x: Batch = {
        rows: 2,
        cols: 3,
        sampleShape: [3],
        x: Float32Array.from([-1, 128 / 127.5 - 1, 1, 1, -1, 51 / 127.5 - 1]),
        labels: Int32Array.from([7, 2]),
        indices: Int32Array.from([4, 9]),
      };
      const y: Batch = {
        rows: 1,
        cols: 3,
        sampleShape: [3],
        x: Float32Array.from([1, -1, 51 / 127.5 - 1]),
        labels: Int32Array.from([2]),
        indices: Int32Array.from([9]),
      };
      expectObservable(source.pipe(normalize({ scale: 1 / 127.5, offset: -1 }))).toBe('x-E-y|', { x, y, E });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('passes errors through and stops when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const batch = [sample(0, [1], 0)];
      expectObservable(cold('a-#', { a: batch }).pipe(normalize())).toBe('x-#', {
        x: { rows: 1, cols: 1, sampleShape: [1], x: Float32Array.from([1 / 255]), labels: Int32Array.from([0]), indices: Int32Array.from([0]) },
      });
      const endless = cold('a-a-a-', { a: batch });
      expectObservable(endless.pipe(normalize()), '^-!').toBe('x-', {
        x: { rows: 1, cols: 1, sampleShape: [1], x: Float32Array.from([1 / 255]), labels: Int32Array.from([0]), indices: Int32Array.from([0]) },
      });
      expectSubscriptions(endless.subscriptions).toBe('^-!');
    });
  });

  it('never writes to the source images, and gives each batch new arrays', () => {
    const s0 = sample(0, [10, 20, 30], 1);
    const before = Uint8Array.from(s0.image);
    const batches: Batch[] = [];
    scheduler.run(({ cold }) => {
      cold('aa|', { a: [s0] }).pipe(normalize()).subscribe((b) => batches.push(b as Batch));
    });
    expect(s0.image).toEqual(before);
    expect(batches).toHaveLength(2);
    expect(batches[0]!.x).not.toBe(batches[1]!.x);
    expect(batches[0]!.x).toBeInstanceOf(Float32Array);
  });

  it('with reuse, cycles three sets of arrays (a batch is valid while the next one is in use), same values', () => {
    const images = [sample(0, [10, 20, 30], 1), sample(1, [40, 50, 60], 2), sample(2, [70, 80, 90], 3)];
    const fresh: Batch[] = [];
    const reused: Batch[] = [];
    const snapshots: number[][] = [];
    scheduler.run(({ cold }) => {
      const source = cold('abca|', { a: [images[0]!], b: [images[1]!, images[2]!], c: [images[2]!] });
      source.pipe(normalize()).subscribe((b) => fresh.push(b as Batch));
      source.pipe(normalize(undefined, { reuse: true })).subscribe((b) => {
        reused.push(b as Batch);
        snapshots.push(Array.from((b as Batch).x));
      });
    });
    expect(snapshots).toEqual(fresh.map((b) => Array.from(b.x)));
    expect(reused.map((b) => b.rows)).toEqual([1, 2, 1, 1]);
    expect(new Set(reused.slice(0, 3).map((b) => b.x.buffer)).size).toBe(3);
    expect(reused[3]!.labels.buffer).toBe(reused[0]!.labels.buffer);
  });

  it('with reuse, hands a finished subscription\'s arrays to the next one (no new arrays per epoch)', () => {
    const op = normalize(undefined, { reuse: true });
    const seen: ArrayBufferLike[] = [];
    scheduler.run(({ cold }) => {
      const source = cold('a|', { a: [sample(0, [1, 2], 0)] });
      source.pipe(op).subscribe((b) => seen.push((b as Batch).x.buffer));
    });
    scheduler.run(({ cold }) => {
      const source = cold('a|', { a: [sample(0, [3, 4], 0)] });
      source.pipe(op).subscribe((b) => seen.push((b as Batch).x.buffer));
    });
    expect(seen[1]).toBe(seen[0]);
  });

  it('with wasm kernels, puts the batches in the kernels\' memory, with the same values', () => {
    const kernels = createWasmKernels();
    const pixels = Array.from({ length: 37 }, (_, i) => (i * 53) % 256);
    const batches: Batch[] = [];
    scheduler.run(({ cold }) => {
      cold('a|', { a: [sample(0, pixels, 0), sample(1, pixels.slice().reverse(), 1)] })
        .pipe(normalize({ scale: 1 / 127.5, offset: -1 }, { reuse: true, allocator: kernels }))
        .subscribe((b) => batches.push(b as Batch));
    });
    const expected = [...pixels, ...pixels.slice().reverse()].map((v) => Math.fround(v / 127.5 - 1));
    expect(Array.from(batches[0]!.x)).toEqual(expected);
    expect(batches[0]!.x.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  describe('sparse batches, straight from a data set\'s bytes', () => {
    /** Samples stored in one byte array, as an in-memory data set holds them. */
    const stored = (rows: number[][]): Sample[] => {
      const data = Uint8Array.from(rows.flat());
      return rows.map((row, i) => new StoredSample(data, i * row.length, row.length, i, i % 3));
    };
    const rows = [[0, 0, 255, 0], [51, 0, 0, 102], [0, 0, 0, 0]];

    for (const kernels of [tsKernels, createWasmKernels({ simd: 'plain' })]) {
      it(`${kernels.backend}: non-zeros found without making x, x made only when read, the same values`, () => {
        const batches: Batch[] = [];
        scheduler.run(({ cold }) => {
          cold('a|', { a: stored(rows) }).pipe(normalize(undefined, { reuse: true, allocator: kernels, sparse: 0.5 })).subscribe((b) => batches.push(b as Batch));
        });
        const batch = batches[0]!;
        expect(batch.nonZeros).toBeDefined();
        expect(batch.nonZeros!.nonZeros).toBe(3);
        expect(Array.from(batch.labels)).toEqual([0, 1, 2]);
        expect(Array.from(batch.x)).toEqual(rows.flat().map((v) => Math.fround(v / 255)));
        // the same non-zeros as compressing that x
        const w = kernels.allocate('float32', 4 * 2);
        w.set([1, 2, 3, 4, 5, 6, 7, 8]);
        const fromBytes = kernels.allocate('float32', 6);
        const fromX = kernels.allocate('float32', 6);
        kernels.sparseMatmul(batch.nonZeros!, w, fromBytes, 2);
        kernels.matmul(batch.x, w, fromX, 3, 4, 2);
        expect(Array.from(fromBytes)).toEqual(Array.from(fromX));
      });
    }

    it('falls back to a dense batch when denser than asked, or when a zero byte does not map to 0', () => {
      const batches: Batch[] = [];
      scheduler.run(({ cold }) => {
        cold('a|', { a: stored(rows) }).pipe(normalize(undefined, { reuse: true, sparse: 0.1 })).subscribe((b) => batches.push(b as Batch));
        cold('a|', { a: stored(rows) }).pipe(normalize({ scale: 1 / 127.5, offset: -1 }, { reuse: true, sparse: 0.9 })).subscribe((b) => batches.push(b as Batch));
      });
      expect(batches.map((b) => b.nonZeros)).toEqual([undefined, undefined]);
      expect(Array.from(batches[1]!.x)).toEqual(rows.flat().map((v) => Math.fround(v / 127.5 - 1)));
    });

    it('refuses to make a reused batch\'s x once its arrays belong to later batches', () => {
      const batches: Batch[] = [];
      scheduler.run(({ cold }) => {
        cold('abcd|', { a: stored(rows), b: stored(rows), c: stored(rows), d: stored(rows) })
          .pipe(normalize(undefined, { reuse: true, sparse: 0.5 }))
          .subscribe((b) => batches.push(b as Batch));
      });
      expect(() => batches[3]!.x).not.toThrow();
      expect(() => batches[0]!.x).toThrow(/read after later batches/);
    });

    it('with lookahead, emits each batch once the next has arrived, and at each epoch end and the end', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const E = new EpochEnd(1);
        const source = cold('a-b-E-c-|', { a: stored(rows), b: stored(rows), c: stored(rows), E });
        const rowsOf = (b: Batch | EpochEnd): number | string => (b instanceof EpochEnd ? 'E' : b.rows);
        expectObservable(source.pipe(normalize(undefined, { reuse: true, sparse: 0.5, lookahead: true }), map(rowsOf))).toBe('--x-(yE)(z|)', { x: 3, y: 3, z: 3, E: 'E' });
        expectSubscriptions(source.subscriptions).toBe('^-------!');
      });
    });

    it('with lookahead, passes errors on and stops when unsubscribed, letting go of the batch it holds', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const one = cold('a-#', { a: stored(rows) });
        expectObservable(one.pipe(normalize(undefined, { reuse: true, sparse: 0.5, lookahead: true }))).toBe('--#');
        const endless = cold('a-a-a-a-', { a: stored(rows) });
        expectObservable(endless.pipe(normalize(undefined, { reuse: true, sparse: 0.5, lookahead: true }), map(() => 'x')), '^----!').toBe('--x-x-');
      });
    });
  });

  it('rejects non-finite settings', () => {
    expect(() => normalize({ scale: Number.NaN, offset: 0 })).toThrow(/scale/);
    expect(() => normalize({ scale: 1, offset: Infinity })).toThrow(/offset/);
  });
});
