import { afterAll, describe, expect, it } from 'vitest';
import { createWasmKernels, tsKernels, windowGeometry, type Kernels, type WindowGeometry } from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';

const one = createWasmKernels({ threads: 1 });
const two = createWasmKernels({ threads: 2 });
afterAll(() => {
  one.close();
  two.close();
});

/** [channels, size, stride, padding, height, width, rows]: small and ragged, strides past the kernel, padding past it, and a batch large enough to be split across threads. */
const SHAPES: [number, number, number, number, number, number, number][] = [
  [1, 5, 1, 0, 28, 28, 3],
  [3, 3, 2, 1, 7, 9, 2],
  [2, 2, 3, 2, 6, 5, 2],
  [3, 3, 2, 0, 9, 7, 2],
  [4, 5, 1, 4, 3, 3, 1],
  [16, 5, 1, 2, 12, 12, 100],
  [4, 2, 2, 0, 10, 14, 3],
  [16, 2, 2, 0, 24, 24, 100],
];

function f32(length: number, seed: number): Float32Array {
  return Float32Array.from(filled(new Float64Array(length), seed, 2));
}

/** Runs a kernel call on the TypeScript kernels and on `kernels` (inputs in their memory, or plain arrays copied in): outputs equal bit for bit. */
function same(kernels: Kernels, inputs: Float32Array[], outputs: number[], call: (k: Kernels, arrays: Float32Array[]) => void): void {
  const reference = [...inputs, ...outputs.map((n) => new Float32Array(n).fill(7))];
  call(tsKernels, reference);
  for (const inPlace of [true, false]) {
    const arrays = [...inputs, ...outputs.map((n) => new Float32Array(n).fill(-3))].map((a) => {
      if (!inPlace) return a.slice();
      const heap = kernels.allocate('float32', a.length) as Float32Array;
      heap.set(a);
      return heap;
    });
    call(kernels, arrays);
    for (let i = inputs.length; i < arrays.length; i++) expect(firstDifference(arrays[i]!, reference[i]!)).toBe(-1);
  }
}

/** The first index where the arrays' bits differ (NaN equals NaN), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('wasm window kernels equal the TypeScript reference bit for bit, for any thread count', () => {
  for (const [channels, size, stride, padding, height, width, rows] of SHAPES) {
    const g: WindowGeometry = windowGeometry([channels, height, width], size, stride, padding, 'kernel');
    const image = rows * channels * height * width;
    const patch = channels * size * size;
    const columns = rows * g.outHeight * g.outWidth;
    const label = `${channels}x${height}x${width}, window ${size}, stride ${stride}, padding ${padding}, ${rows} rows`;
    for (const kernels of [one, two]) {
      it(`${label}, ${kernels.description}: im2col, col2im and transposeBlocks`, () => {
        same(kernels, [f32(image, 1)], [patch * columns], (k, [x, cols]) => k.im2col(x!, cols!, g, rows));
        same(kernels, [f32(patch * columns, 2)], [image], (k, [cols, dx]) => k.col2im(cols!, dx!, g, rows));
        same(kernels, [f32(image, 3), f32(channels, 4)], [image], (k, [x, bias, y]) => k.transposeBlocks(x!, y!, rows, channels, height, width, bias));
        same(kernels, [f32(image, 5)], [image], (k, [x, y]) => k.transposeBlocks(x!, y!, rows, channels, height * width, 1));
      });

      if (padding === 0 && (height - size) % stride === 0 && (width - size) % stride === 0) {
        it(`${label}, ${kernels.description}: max and average pooling, forward and backward`, () => {
          const outputs = rows * channels * g.outHeight * g.outWidth;
          same(kernels, [f32(image, 6)], [outputs, outputs], (k, [x, y, argmax]) => k.maxPool(x!, y!, argmax!, g, rows));
          // small integers: windows with ties, where the first largest value wins
          const ties = f32(image, 10).map((v) => Math.round(v));
          same(kernels, [ties], [outputs, outputs], (k, [x, y, argmax]) => k.maxPool(x!, y!, argmax!, g, rows));
          const argmax = new Float32Array(outputs);
          tsKernels.maxPool(f32(image, 6), new Float32Array(outputs), argmax, g, rows);
          same(kernels, [f32(outputs, 7), argmax], [image], (k, [dy, a, dx]) => k.maxPoolBackward(dy!, a!, dx!, g, rows));
          same(kernels, [f32(image, 8)], [outputs], (k, [x, y]) => k.avgPool(x!, y!, g, rows));
          same(kernels, [f32(outputs, 9)], [image], (k, [dy, dx]) => k.avgPoolBackward(dy!, dx!, g, rows));
        });
      }
    }
  }
});
