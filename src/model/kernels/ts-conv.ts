import type { FloatArray, WindowGeometry } from './kernels.js';

/*
 * The reference window kernels (convolution by im2col, pooling) in plain
 * TypeScript. The WebAssembly kernels run these too, on arrays in their
 * memory: they move values rather than multiply them, and the products
 * they feed run in the GEMM.
 */

/**
 * The rows of outWidth entries of the im2col matrix [channels·size² × rows·outHeight·outWidth],
 * in its order: `visit(at, source, j)` for each, at the index of its first entry, source the
 * input index of its first window pixel and j the window column; none for rows of padding,
 * whose indices are handed to `padding` instead.
 */
function forEachWindowRow(g: WindowGeometry, rows: number, visit: (at: number, source: number, j: number) => void, padding?: (at: number) => void): void {
  const { channels, height, width, size, stride, padding: pad, outHeight, outWidth } = g;
  const positions = outHeight * outWidth;
  const total = rows * positions;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const line = ((c * size + i) * size + j) * total;
        for (let r = 0; r < rows; r++) {
          const plane = (r * channels + c) * height * width;
          for (let y = 0; y < outHeight; y++) {
            const at = line + r * positions + y * outWidth;
            const iy = y * stride + i - pad;
            if (iy < 0 || iy >= height) padding?.(at);
            else visit(at, plane + iy * width + j - pad, j);
          }
        }
      }
    }
  }
}

/** cols = the im2col matrix of x: every window's pixels, 0 in the padding. */
export function im2col(x: FloatArray, cols: FloatArray, g: WindowGeometry, rows: number): void {
  const { width, stride, padding, outWidth } = g;
  forEachWindowRow(
    g,
    rows,
    (at, source, j) => {
      for (let xo = 0; xo < outWidth; xo++) {
        const ix = xo * stride + j - padding;
        cols[at + xo] = ix >= 0 && ix < width ? x[source + xo * stride]! : 0;
      }
    },
    (at) => cols.fill(0, at, at + outWidth),
  );
}

/** The same walk as im2col, adding each entry to the pixel it was read from. */
export function col2im(cols: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
  const { channels, height, width, stride, padding, outWidth } = g;
  dx.fill(0, 0, rows * channels * height * width);
  forEachWindowRow(g, rows, (at, target, j) => {
    for (let xo = 0; xo < outWidth; xo++) {
      const ix = xo * stride + j - padding;
      if (ix >= 0 && ix < width) dx[target + xo * stride] = dx[target + xo * stride]! + cols[at + xo]!;
    }
  });
}

export function transposeBlocks(x: FloatArray, y: FloatArray, outer: number, a: number, b: number, block: number, bias?: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < a; i++) {
      const shift = bias === undefined ? 0 : bias[i]!;
      for (let j = 0; j < b; j++) {
        const from = ((o * a + i) * b + j) * block;
        const to = ((o * b + j) * a + i) * block;
        if (bias === undefined) for (let t = 0; t < block; t++) y[to + t] = x[from + t]!;
        else for (let t = 0; t < block; t++) y[to + t] = x[from + t]! + shift;
      }
    }
  }
}

export function maxPool(x: FloatArray, y: FloatArray, argmax: FloatArray, g: WindowGeometry, rows: number): void {
  const { size, stride, width, outHeight, outWidth } = g;
  let k = 0;
  forEachPlane(g, rows, (plane) => {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = plane + oy * stride * width + ox * stride;
        let best = x[corner]!;
        let at = 0;
        for (let i = 0; i < size; i++) {
          const line = corner + i * width;
          for (let j = 0; j < size; j++) {
            if (x[line + j]! > best) {
              best = x[line + j]!;
              at = i * size + j;
            }
          }
        }
        y[k] = best;
        argmax[k++] = at;
      }
    }
  });
}

export function maxPoolBackward(dy: FloatArray, argmax: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
  const { size, stride, width, outHeight, outWidth } = g;
  dx.fill(0, 0, rows * g.channels * g.height * width);
  let k = 0;
  forEachPlane(g, rows, (plane) => {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const at = argmax[k]!;
        const i = Math.floor(at / size);
        const pixel = plane + (oy * stride + i) * width + ox * stride + (at - i * size);
        dx[pixel] = dx[pixel]! + dy[k++]!;
      }
    }
  });
}

export function avgPool(x: FloatArray, y: FloatArray, g: WindowGeometry, rows: number): void {
  const { size, stride, width, outHeight, outWidth } = g;
  const scale = 1 / (size * size);
  let k = 0;
  forEachPlane(g, rows, (plane) => {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = plane + oy * stride * width + ox * stride;
        let sum = 0;
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) sum += x[corner + i * width + j]!;
        y[k++] = sum * scale;
      }
    }
  });
}

export function avgPoolBackward(dy: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
  const { size, stride, width, outHeight, outWidth } = g;
  const scale = 1 / (size * size);
  dx.fill(0, 0, rows * g.channels * g.height * width);
  let k = 0;
  forEachPlane(g, rows, (plane) => {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = plane + oy * stride * width + ox * stride;
        const share = dy[k++]! * scale;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) dx[corner + i * width + j] = dx[corner + i * width + j]! + share;
        }
      }
    }
  });
}

/** Calls `visit` with where each image's channel begins in the input, in storage order. */
function forEachPlane(g: WindowGeometry, rows: number, visit: (plane: number) => void): void {
  const area = g.height * g.width;
  for (let p = 0; p < rows * g.channels; p++) visit(p * area);
}
