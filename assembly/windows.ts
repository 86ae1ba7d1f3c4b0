// The window kernels of convolutions and pooling on images stored [rows,
// channels, height, width] (see WindowGeometry in src/model/kernels/kernels.ts).
// They move and compare values; the products run in the GEMM. Each writes a
// range of its output that no other part touches, and sums in the order of
// the TypeScript reference, so the results equal it for any thread count.

/**
 * Rows [k0, k1) of the im2col matrix [channels·size² × rows·outHeight·outWidth]:
 * row (c·size + i)·size + j holds pixel (y·stride + i - padding, x·stride + j - padding)
 * of channel c at column (r·outHeight + y)·outWidth + x, 0 in the padding.
 */
export function im2col(
  x: usize, cols: usize, channels: i32, height: i32, width: i32, size: i32, stride: i32, padding: i32, outHeight: i32, outWidth: i32, rows: i32,
  k0: i32, k1: i32,
): void {
  const area = size * size;
  const positions = outHeight * outWidth;
  for (let k = k0; k < k1; k++) {
    const c = k / area;
    const i = (k % area) / size;
    const j = k % size;
    // the outputs xo whose pixel xo·stride + j - padding lies inside the row: [first, last)
    const first = outputsBefore(padding - j, stride, outWidth);
    const last = max(first, outputsBefore(width + padding - j, stride, outWidth));
    let out = cols + ((<usize>k * <usize>rows * <usize>positions) << 2);
    for (let r = 0; r < rows; r++) {
      const plane = x + ((<usize>(r * channels + c) * <usize>(height * width)) << 2);
      for (let y = 0; y < outHeight; y++) {
        const iy = y * stride + i - padding;
        if (iy < 0 || iy >= height) {
          memory.fill(out, 0, <usize>outWidth << 2);
        } else {
          if (first > 0) memory.fill(out, 0, <usize>first << 2);
          const source = plane + (<usize>(iy * width + j - padding) << 2);
          if (stride == 1) {
            copyFloats(out + (<usize>first << 2), source + (<usize>first << 2), last - first);
          } else {
            for (let xo = first; xo < last; xo++) store<f32>(out + (<usize>xo << 2), load<f32>(source + (<usize>(xo * stride) << 2)));
          }
          if (last < outWidth) memory.fill(out + (<usize>last << 2), 0, <usize>(outWidth - last) << 2);
        }
        out += <usize>outWidth << 2;
      }
    }
  }
}

/** Copies n floats; rows of a few dozen values, for which a call of memory.copy costs more than the copy. */
// @ts-ignore: decorator
@inline function copyFloats(to: usize, from: usize, n: i32): void {
  let q = 0;
  for (; q + 4 <= n; q += 4) v128.store(to + (<usize>q << 2), v128.load(from + (<usize>q << 2)));
  for (; q < n; q++) store<f32>(to + (<usize>q << 2), load<f32>(from + (<usize>q << 2)));
}

/** How many outputs xo < outWidth have xo · stride < limit (integer division rounds toward zero, so negatives apart). */
// @ts-ignore: decorator
@inline function outputsBefore(limit: i32, stride: i32, outWidth: i32): i32 {
  return limit <= 0 ? 0 : min(outWidth, (limit + stride - 1) / stride);
}

/**
 * Channels [c0, c1) of dx (every row) = the im2col matrix's entries added to
 * the pixels they were read from, walking the matrix in its order.
 */
export function col2im(
  cols: usize, dx: usize, channels: i32, height: i32, width: i32, size: i32, stride: i32, padding: i32, outHeight: i32, outWidth: i32, rows: i32,
  c0: i32, c1: i32,
): void {
  const area = size * size;
  const positions = outHeight * outWidth;
  const planeBytes = <usize>(height * width) << 2;
  for (let r = 0; r < rows; r++) {
    for (let c = c0; c < c1; c++) memory.fill(dx + <usize>(r * channels + c) * planeBytes, 0, planeBytes);
  }
  for (let k = c0 * area; k < c1 * area; k++) {
    const c = k / area;
    const i = (k % area) / size;
    const j = k % size;
    const first = outputsBefore(padding - j, stride, outWidth);
    const last = max(first, outputsBefore(width + padding - j, stride, outWidth));
    let from = cols + ((<usize>k * <usize>rows * <usize>positions) << 2);
    for (let r = 0; r < rows; r++) {
      const plane = dx + <usize>(r * channels + c) * planeBytes;
      for (let y = 0; y < outHeight; y++) {
        const iy = y * stride + i - padding;
        if (iy >= 0 && iy < height) {
          const target = plane + (<usize>(iy * width + j - padding) << 2);
          let xo = first;
          if (stride == 1) {
            for (; xo + 4 <= last; xo += 4) {
              const at = <usize>xo << 2;
              v128.store(target + at, f32x4.add(v128.load(target + at), v128.load(from + at)));
            }
          }
          for (; xo < last; xo++) {
            const t = target + (<usize>(xo * stride) << 2);
            store<f32>(t, load<f32>(t) + load<f32>(from + (<usize>xo << 2)));
          }
        }
        from += <usize>outWidth << 2;
      }
    }
  }
}

/**
 * Blocks t in [t0, t1) of t = o·a + i: y[o][j][i][·] = x[o][i][j][·] (+ bias[i]
 * when bias is not 0), for every j < b.
 */
export function transposeBlocks(x: usize, y: usize, a: i32, b: i32, block: i32, bias: usize, t0: i32, t1: i32): void {
  const blockBytes = <usize>block << 2;
  for (let t = t0; t < t1; t++) {
    const o = t / a;
    const i = t % a;
    let from = x + <usize>t * <usize>b * blockBytes;
    let to = y + (<usize>o * <usize>b * <usize>a + <usize>i) * blockBytes;
    const step = <usize>a * blockBytes;
    if (block == 1) {
      for (let j = 0; j < b; j++) {
        store<f32>(to, load<f32>(from));
        from += 4;
        to += step;
      }
    } else if (bias == 0) {
      for (let j = 0; j < b; j++) {
        copyFloats(to, from, block);
        from += blockBytes;
        to += step;
      }
    } else {
      const shift = load<f32>(bias + (<usize>i << 2));
      const shifts = f32x4.splat(shift);
      for (let j = 0; j < b; j++) {
        let q = 0;
        for (; q + 4 <= block; q += 4) v128.store(to + (<usize>q << 2), f32x4.add(v128.load(from + (<usize>q << 2)), shifts));
        for (; q < block; q++) store<f32>(to + (<usize>q << 2), load<f32>(from + (<usize>q << 2)) + shift);
        from += blockBytes;
        to += step;
      }
    }
  }
}

/** Planes [p0, p1) (p = r·channels + c) of max pooling: the largest value of each window and its place i·size + j (the first, on ties). */
export function maxPool(x: usize, y: usize, argmax: usize, height: i32, width: i32, size: i32, stride: i32, outHeight: i32, outWidth: i32, p0: i32, p1: i32): void {
  const positions = outHeight * outWidth;
  for (let p = p0; p < p1; p++) {
    const plane = x + ((<usize>p * <usize>(height * width)) << 2);
    let k = <usize>p * <usize>positions;
    for (let oy = 0; oy < outHeight; oy++) {
      let ox = 0;
      if (size == 2 && stride == 2) {
        // four windows at a time: the even and odd columns of two rows, compared in the window's order
        const top = plane + (<usize>(2 * oy * width) << 2);
        const bottom = top + (<usize>width << 2);
        for (; ox + 4 <= outWidth; ox += 4) {
          const at = <usize>ox << 3;
          const t0 = v128.load(top + at);
          const t1 = v128.load(top + at + 16);
          const b0 = v128.load(bottom + at);
          const b1 = v128.load(bottom + at + 16);
          const v0 = i32x4.shuffle(t0, t1, 0, 2, 4, 6);
          const v1 = i32x4.shuffle(t0, t1, 1, 3, 5, 7);
          const v2 = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
          const v3 = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
          const l1 = f32x4.gt(v1, v0);
          const m1 = v128.bitselect(v1, v0, l1);
          const l2 = f32x4.gt(v2, m1);
          const m2 = v128.bitselect(v2, m1, l2);
          const l3 = f32x4.gt(v3, m2);
          v128.store(y + ((k + <usize>ox) << 2), v128.bitselect(v3, m2, l3));
          const p1 = v128.and(l1, f32x4.splat(1));
          const p2 = v128.bitselect(f32x4.splat(2), p1, l2);
          v128.store(argmax + ((k + <usize>ox) << 2), v128.bitselect(f32x4.splat(3), p2, l3));
        }
      }
      for (; ox < outWidth; ox++) {
        const corner = plane + (<usize>(oy * stride * width + ox * stride) << 2);
        let best = load<f32>(corner);
        let at = 0;
        for (let i = 0; i < size; i++) {
          const line = corner + (<usize>(i * width) << 2);
          for (let j = 0; j < size; j++) {
            // branch-free: which value wins is data, not a pattern a predictor could learn
            const v = load<f32>(line + (<usize>j << 2));
            const larger = v > best;
            at = select<i32>(i * size + j, at, larger);
            best = select<f32>(v, best, larger);
          }
        }
        store<f32>(y + ((k + <usize>ox) << 2), best);
        store<f32>(argmax + ((k + <usize>ox) << 2), <f32>at);
      }
      k += <usize>outWidth;
    }
  }
}

/** Planes [p0, p1) of dx = dy added at each window's argmax. */
export function maxPoolBackward(dy: usize, argmax: usize, dx: usize, height: i32, width: i32, size: i32, stride: i32, outHeight: i32, outWidth: i32, p0: i32, p1: i32): void {
  const positions = outHeight * outWidth;
  const planeBytes = <usize>(height * width) << 2;
  for (let p = p0; p < p1; p++) {
    const plane = dx + <usize>p * planeBytes;
    memory.fill(plane, 0, planeBytes);
    let k = <usize>p * <usize>positions;
    for (let oy = 0; oy < outHeight; oy++) {
      let ox = 0;
      if (size == 2 && stride == 2) {
        // four windows at a time, which do not overlap: each pixel gets 0 + its share (0 + dy, as the reference adds)
        const top = plane + (<usize>(2 * oy * width) << 2);
        const bottom = top + (<usize>width << 2);
        const zero = f32x4.splat(0);
        for (; ox + 4 <= outWidth; ox += 4) {
          const d = v128.load(dy + ((k + <usize>ox) << 2));
          const a = v128.load(argmax + ((k + <usize>ox) << 2));
          const d0 = f32x4.add(zero, v128.and(d, f32x4.eq(a, f32x4.splat(0))));
          const d1 = f32x4.add(zero, v128.and(d, f32x4.eq(a, f32x4.splat(1))));
          const d2 = f32x4.add(zero, v128.and(d, f32x4.eq(a, f32x4.splat(2))));
          const d3 = f32x4.add(zero, v128.and(d, f32x4.eq(a, f32x4.splat(3))));
          const at = <usize>ox << 3;
          v128.store(top + at, i32x4.shuffle(d0, d1, 0, 4, 1, 5));
          v128.store(top + at + 16, i32x4.shuffle(d0, d1, 2, 6, 3, 7));
          v128.store(bottom + at, i32x4.shuffle(d2, d3, 0, 4, 1, 5));
          v128.store(bottom + at + 16, i32x4.shuffle(d2, d3, 2, 6, 3, 7));
        }
      }
      for (; ox < outWidth; ox++) {
        const kk = k + <usize>ox;
        const at = <i32>load<f32>(argmax + (kk << 2));
        const i = at / size;
        const pixel = plane + (<usize>((oy * stride + i) * width + ox * stride + at - i * size) << 2);
        store<f32>(pixel, load<f32>(pixel) + load<f32>(dy + (kk << 2)));
      }
      k += <usize>outWidth;
    }
  }
}

/** Planes [p0, p1) of average pooling, summed in f64 as the reference does. */
export function avgPool(x: usize, y: usize, height: i32, width: i32, size: i32, stride: i32, outHeight: i32, outWidth: i32, p0: i32, p1: i32): void {
  const positions = outHeight * outWidth;
  const scale = 1 / <f64>(size * size);
  for (let p = p0; p < p1; p++) {
    const plane = x + ((<usize>p * <usize>(height * width)) << 2);
    let k = <usize>p * <usize>positions;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = plane + (<usize>(oy * stride * width + ox * stride) << 2);
        let sum: f64 = 0;
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) sum += <f64>load<f32>(corner + (<usize>(i * width + j) << 2));
        store<f32>(y + (k << 2), <f32>(sum * scale));
        k++;
      }
    }
  }
}

/** Planes [p0, p1) of dx = dy / size² spread over each window, added in f64 as the reference does. */
export function avgPoolBackward(dy: usize, dx: usize, height: i32, width: i32, size: i32, stride: i32, outHeight: i32, outWidth: i32, p0: i32, p1: i32): void {
  const positions = outHeight * outWidth;
  const planeBytes = <usize>(height * width) << 2;
  const scale = 1 / <f64>(size * size);
  for (let p = p0; p < p1; p++) {
    const plane = dx + <usize>p * planeBytes;
    memory.fill(plane, 0, planeBytes);
    let k = <usize>p * <usize>positions;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = plane + (<usize>(oy * stride * width + ox * stride) << 2);
        const share = <f64>load<f32>(dy + (k << 2)) * scale;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const t = corner + (<usize>(i * width + j) << 2);
            store<f32>(t, <f32>(<f64>load<f32>(t) + share));
          }
        }
        k++;
      }
    }
  }
}
