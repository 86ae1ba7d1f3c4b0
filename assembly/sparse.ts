// Products with a sparse left operand (the first layer's input: MNIST
// images are about 19% non-zero). Every value is summed in the order the
// dense products sum it (p ascending from 0, zeros skipped, which adds
// nothing), so sparse and dense results are identical bit for bit.
import { highToF64, lowToF64, madd, toF32 } from './simd';

/**
 * For each 4-bit mask of non-zero lanes, the i8x16.swizzle pattern that
 * moves those lanes (4 bytes each) to the front, in order.
 */
const COMPACT: usize = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0000 (unused)
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0001
  4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, // 0010
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0011
  8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, // 0100
  0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15, // 0101
  4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 12, 13, 14, 15, // 0110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 0111
  12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, // 1000
  0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 8, 9, 10, 11, // 1001
  4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, 8, 9, 10, 11, // 1010
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11, // 1011
  8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, // 1100
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 4, 5, 6, 7, // 1101
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, // 1110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 1111
]);

/**
 * The non-zeros of A[m×k] row by row (compressed sparse rows): row i's are
 * index/value[rowStart[i] .. rowStart[i+1]), in column order. Returns how
 * many there are, or -1 when there are more than `capacity`. Groups of four
 * are compacted with a swizzle and stored whole, so index and value need
 * room for 4 more than `capacity`; runs of 16 zeros (an image's borders)
 * are passed over with one test.
 */
export function compress(a: usize, m: i32, k: i32, rowStart: usize, index: usize, value: usize, capacity: i32): i32 {
  const zero = f32x4.splat(0);
  const k16 = k & ~15;
  const k4 = k & ~3;
  let count = 0;
  store<i32>(rowStart, 0);
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>k) << 2);
    let p = 0;
    for (; p < k16; p += 16) {
      const o = row + (<usize>p << 2);
      const v0 = v128.load(o), v1 = v128.load(o, 16), v2 = v128.load(o, 32), v3 = v128.load(o, 48);
      if (!v128.any_true(f32x4.ne(v128.or(v128.or(v0, v1), v128.or(v2, v3)), zero))) continue;
      count = compact(v0, p, index, value, count);
      count = compact(v1, p + 4, index, value, count);
      count = compact(v2, p + 8, index, value, count);
      count = compact(v3, p + 12, index, value, count);
      if (count > capacity) return -1;
    }
    for (; p < k4; p += 4) {
      count = compact(v128.load(row + (<usize>p << 2)), p, index, value, count);
      if (count > capacity) return -1;
    }
    for (; p < k; p++) {
      const v = load<f32>(row + (<usize>p << 2));
      if (v == 0) continue;
      if (count >= capacity) return -1;
      store<i32>(index + (<usize>count << 2), p);
      store<f32>(value + (<usize>count << 2), v);
      count++;
    }
    store<i32>(rowStart + ((<usize>i + 1) << 2), count);
  }
  return count;
}

/** Appends the non-zero lanes of v (columns p .. p + 3) at position `count`; returns the new count. */
// @ts-ignore: decorator
@inline function compact(v: v128, p: i32, index: usize, value: usize, count: i32): i32 {
  const mask = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0)));
  if (mask == 0) return count;
  const pattern = v128.load(COMPACT + (<usize>mask << 4));
  v128.store(index + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(p), i32x4(0, 1, 2, 3)), pattern));
  v128.store(value + (<usize>count << 2), i8x16.swizzle(v, pattern));
  return count + popcnt(mask);
}

/**
 * The non-zeros, compressed by rows as `compress` writes them, of the
 * batch gatherBytes would make from the bytes at base + offsets[r], without
 * making it: only non-zero bytes are converted (as bytesToFloats converts
 * them; a zero byte must convert to 0). Returns the count, or -1 when there
 * are more than `capacity` (index and value need room for 16 more).
 */
export function compressBytes(
  base: usize, offsets: usize, rows: i32, cols: i32, scale: f64, offset: f64, divisor: f32,
  rowStart: usize, index: usize, value: usize, capacity: i32,
): i32 {
  const cols16 = cols & ~15;
  let count = 0;
  touchRows(base, offsets, rows, cols);
  store<i32>(rowStart, 0);
  for (let r = 0; r < rows; r++) {
    const row = base + <usize>load<i32>(offsets + (<usize>r << 2));
    let p = 0;
    for (; p < cols16; p += 16) {
      const b = v128.load(row + <usize>p);
      if (!v128.any_true(b)) continue;
      const w0 = i16x8.extend_low_i8x16_u(b);
      const w1 = i16x8.extend_high_i8x16_u(b);
      count = compactBytes(i32x4.extend_low_i16x8_u(w0), p, index, value, count, scale, offset, divisor);
      count = compactBytes(i32x4.extend_high_i16x8_u(w0), p + 4, index, value, count, scale, offset, divisor);
      count = compactBytes(i32x4.extend_low_i16x8_u(w1), p + 8, index, value, count, scale, offset, divisor);
      count = compactBytes(i32x4.extend_high_i16x8_u(w1), p + 12, index, value, count, scale, offset, divisor);
      if (count > capacity) return -1;
    }
    for (; p < cols; p++) {
      const v = load<u8>(row + <usize>p);
      if (v == 0) continue;
      if (count >= capacity) return -1;
      store<i32>(index + (<usize>count << 2), p);
      store<f32>(value + (<usize>count << 2), divisor > 0 ? <f32>v / divisor + <f32>offset : <f32>(<f64>v * scale + offset));
      count++;
    }
    store<i32>(rowStart + ((<usize>r + 1) << 2), count);
  }
  return count;
}

/**
 * compressBytes, then transposeSparse of what it found (a training batch,
 * whose weight gradient needs the columns): one job, for a thread that
 * prepares the next batch while the current one trains. Returns the count,
 * or -1 (too many non-zeros; nothing transposed).
 */
export function compressBytesTransposed(
  base: usize, offsets: usize, rows: i32, cols: i32, scale: f64, offset: f64, divisor: f32,
  rowStart: usize, index: usize, value: usize, capacity: i32, colStart: usize, rowIndex: usize, colValue: usize,
): i32 {
  const count = compressBytes(base, offsets, rows, cols, scale, offset, divisor, rowStart, index, value, capacity);
  if (count >= 0) transposeSparse(rowStart, index, value, rows, cols, colStart, rowIndex, colValue);
  return count;
}

/** counts[r] = how many of the `cols` bytes at base + offsets[r] are not zero, for rows [r0, r1). */
export function countNonZeroBytes(base: usize, offsets: usize, cols: i32, counts: usize, r0: i32, r1: i32): void {
  const cols16 = cols & ~15;
  for (let r = r0; r < r1; r++) {
    const row = base + <usize>load<i32>(offsets + (<usize>r << 2));
    let count = 0;
    let p = 0;
    for (; p < cols16; p += 16) count += popcnt(i8x16.bitmask(i8x16.ne(v128.load(row + <usize>p), i8x16.splat(0))));
    for (; p < cols; p++) if (load<u8>(row + <usize>p) != 0) count++;
    store<i32>(counts + (<usize>r << 2), count);
  }
}

/**
 * The fill pass of compressBytes split across threads: rows [r0, r1), each
 * written from rowStart[r] (counted beforehand), as compressBytes writes
 * them. Groups of four are stored whole, which may write past a row's
 * entries into the next row's (rewritten when that row comes); the last row
 * of the range is written value by value, so a thread never writes into
 * the rows of another.
 */
export function fillBytes(
  base: usize, offsets: usize, cols: i32, scale: f64, offset: f64, divisor: f32, rowStart: usize, index: usize, value: usize, r0: i32, r1: i32,
): void {
  const cols16 = cols & ~15;
  for (let r = r0; r < r1; r++) {
    const row = base + <usize>load<i32>(offsets + (<usize>r << 2));
    let count = load<i32>(rowStart + (<usize>r << 2));
    let p = 0;
    if (r + 1 < r1) {
      for (; p < cols16; p += 16) {
        const b = v128.load(row + <usize>p);
        if (!v128.any_true(b)) continue;
        const w0 = i16x8.extend_low_i8x16_u(b);
        const w1 = i16x8.extend_high_i8x16_u(b);
        count = compactBytes(i32x4.extend_low_i16x8_u(w0), p, index, value, count, scale, offset, divisor);
        count = compactBytes(i32x4.extend_high_i16x8_u(w0), p + 4, index, value, count, scale, offset, divisor);
        count = compactBytes(i32x4.extend_low_i16x8_u(w1), p + 8, index, value, count, scale, offset, divisor);
        count = compactBytes(i32x4.extend_high_i16x8_u(w1), p + 12, index, value, count, scale, offset, divisor);
      }
    }
    for (; p < cols; p++) {
      const v = load<u8>(row + <usize>p);
      if (v == 0) continue;
      store<i32>(index + (<usize>count << 2), p);
      store<f32>(value + (<usize>count << 2), divisor > 0 ? <f32>v / divisor + <f32>offset : <f32>(<f64>v * scale + offset));
      count++;
    }
  }
}

/**
 * Reads one byte of every cache line of the rows first: rows drawn at
 * random lie far apart in a large data set, and these loads, independent
 * of each other, wait for memory together instead of one row at a time.
 * Their OR goes to a global, so the loads are kept.
 */
function touchRows(base: usize, offsets: usize, rows: i32, cols: i32): void {
  let touched = 0;
  for (let r = 0; r < rows; r++) {
    const row = base + <usize>load<i32>(offsets + (<usize>r << 2));
    for (let o = 0; o < cols; o += 64) touched |= load<u8>(row + <usize>o);
  }
  touchedSink = touched;
}

let touchedSink = 0;

/** Appends the non-zero lanes of four bytes (as i32 lanes, columns p .. p + 3), converted; returns the new count. */
// @ts-ignore: decorator
@inline function compactBytes(bytes: v128, p: i32, index: usize, value: usize, count: i32, scale: f64, offset: f64, divisor: f32): i32 {
  const mask = i32x4.bitmask(i32x4.ne(bytes, i32x4.splat(0)));
  if (mask == 0) return count;
  const v = f32x4.convert_i32x4_u(bytes);
  let x: v128;
  if (divisor > 0) x = f32x4.add(f32x4.div(v, f32x4.splat(divisor)), f32x4.splat(<f32>offset));
  else {
    const s = f64x2.splat(scale);
    const o = f64x2.splat(offset);
    x = toF32(f64x2.add(f64x2.mul(lowToF64(v), s), o), f64x2.add(f64x2.mul(highToF64(v), s), o));
  }
  const pattern = v128.load(COMPACT + (<usize>mask << 4));
  v128.store(index + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(p), i32x4(0, 1, 2, 3)), pattern));
  v128.store(value + (<usize>count << 2), i8x16.swizzle(x, pattern));
  return count + popcnt(mask);
}

/**
 * The same non-zeros column by column (compressed sparse columns), rows
 * ascending within each column: a counting sort of the rows' entries.
 * colStart needs k + 1 values.
 */
export function transposeSparse(rowStart: usize, index: usize, value: usize, m: i32, k: i32, colStart: usize, rowIndex: usize, colValue: usize): void {
  memory.fill(colStart, 0, (<usize>k + 1) << 2);
  const count = load<i32>(rowStart + (<usize>m << 2));
  for (let e = 0; e < count; e++) {
    const at = colStart + ((<usize>load<i32>(index + (<usize>e << 2)) + 1) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let p = 0; p < k; p++) {
    const at = colStart + ((<usize>p + 1) << 2);
    store<i32>(at, load<i32>(at) + load<i32>(at - 4));
  }
  // colStart[p] now counts the entries of columns before p: use it as the next free slot, then shift it back.
  for (let i = 0; i < m; i++) {
    const last = load<i32>(rowStart + ((<usize>i + 1) << 2));
    for (let e = load<i32>(rowStart + (<usize>i << 2)); e < last; e++) {
      const at = colStart + (<usize>load<i32>(index + (<usize>e << 2)) << 2);
      const slot = load<i32>(at);
      store<i32>(rowIndex + (<usize>slot << 2), i);
      store<f32>(colValue + (<usize>slot << 2), load<f32>(value + (<usize>e << 2)));
      store<i32>(at, slot + 1);
    }
  }
  for (let p = k; p > 0; p--) store<i32>(colStart + (<usize>p << 2), load<i32>(colStart + ((<usize>p - 1) << 2)));
  store<i32>(colStart, 0);
}

/**
 * Rows [r0, r1) of C[rows×n] = S·B[k×n] for S compressed by rows (`start`,
 * `index`, `value`); also Sᵀ·B for S compressed by columns. Row r of C sums
 * value·B[index] over entries start[r] .. start[r+1], in their order.
 * Column blocks of up to 52 (13 vectors) stay in registers while the
 * entries of a row go by; a block may read up to 19 values past the end of
 * a row of B (the host keeps 256 bytes past every array readable). Each
 * row's block is stored whole in `tile` (208 bytes, one per thread) and
 * copied from there: a branch after the hot loop to store a ragged last
 * vector makes V8 spill the accumulators, halving the speed.
 */
export function sparseGemm(start: usize, index: usize, value: usize, b: usize, c: usize, n: i32, tile: usize, r0: i32, r1: i32): void {
  let j = 0;
  for (; n - j > 32; j += 52) block13(start, index, value, b, c, n, j, min(52, n - j), tile, r0, r1);
  const left = n - j;
  if (left > 16) block8(start, index, value, b, c, n, j, left, tile, r0, r1);
  else if (left > 0) block4(start, index, value, b, c, n, j, left, tile, r0, r1);
}

/** Columns [j, j + cols) of rows [r0, r1), 32 < cols ≤ 52: thirteen vectors. */
function block13(start: usize, index: usize, value: usize, b: usize, c: usize, n: i32, j: i32, cols: i32, tile: usize, r0: i32, r1: i32): void {
  const stride = <usize>n << 2;
  const bj = b + (<usize>j << 2);
  for (let r = r0; r < r1; r++) {
    const first = load<i32>(start + (<usize>r << 2));
    const last = load<i32>(start + ((<usize>r + 1) << 2));
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0);
    let c7 = f32x4.splat(0), c8 = f32x4.splat(0), c9 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
    for (let e = first; e < last; e++) {
      const x = v128.load32_splat(value + (<usize>e << 2));
      const bp = bj + <usize>load<i32>(index + (<usize>e << 2)) * stride;
      c0 = madd(x, v128.load(bp), c0); c1 = madd(x, v128.load(bp, 16), c1);
      c2 = madd(x, v128.load(bp, 32), c2); c3 = madd(x, v128.load(bp, 48), c3);
      c4 = madd(x, v128.load(bp, 64), c4); c5 = madd(x, v128.load(bp, 80), c5);
      c6 = madd(x, v128.load(bp, 96), c6); c7 = madd(x, v128.load(bp, 112), c7);
      c8 = madd(x, v128.load(bp, 128), c8); c9 = madd(x, v128.load(bp, 144), c9);
      c10 = madd(x, v128.load(bp, 160), c10); c11 = madd(x, v128.load(bp, 176), c11);
      c12 = madd(x, v128.load(bp, 192), c12);
    }
    v128.store(tile, c0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
    v128.store(tile, c4, 64); v128.store(tile, c5, 80); v128.store(tile, c6, 96); v128.store(tile, c7, 112);
    v128.store(tile, c8, 128); v128.store(tile, c9, 144); v128.store(tile, c10, 160); v128.store(tile, c11, 176);
    v128.store(tile, c12, 192);
    memory.copy(c + <usize>r * stride + (<usize>j << 2), tile, <usize>cols << 2);
  }
}

/** Columns [j, j + cols) of rows [r0, r1), 16 < cols ≤ 32: eight vectors. */
function block8(start: usize, index: usize, value: usize, b: usize, c: usize, n: i32, j: i32, cols: i32, tile: usize, r0: i32, r1: i32): void {
  const stride = <usize>n << 2;
  const bj = b + (<usize>j << 2);
  for (let r = r0; r < r1; r++) {
    const first = load<i32>(start + (<usize>r << 2));
    const last = load<i32>(start + ((<usize>r + 1) << 2));
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    for (let e = first; e < last; e++) {
      const x = v128.load32_splat(value + (<usize>e << 2));
      const bp = bj + <usize>load<i32>(index + (<usize>e << 2)) * stride;
      c0 = madd(x, v128.load(bp), c0); c1 = madd(x, v128.load(bp, 16), c1);
      c2 = madd(x, v128.load(bp, 32), c2); c3 = madd(x, v128.load(bp, 48), c3);
      c4 = madd(x, v128.load(bp, 64), c4); c5 = madd(x, v128.load(bp, 80), c5);
      c6 = madd(x, v128.load(bp, 96), c6); c7 = madd(x, v128.load(bp, 112), c7);
    }
    v128.store(tile, c0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
    v128.store(tile, c4, 64); v128.store(tile, c5, 80); v128.store(tile, c6, 96); v128.store(tile, c7, 112);
    memory.copy(c + <usize>r * stride + (<usize>j << 2), tile, <usize>cols << 2);
  }
}

/** Columns [j, j + cols) of rows [r0, r1), cols ≤ 16: up to four vectors. */
function block4(start: usize, index: usize, value: usize, b: usize, c: usize, n: i32, j: i32, cols: i32, tile: usize, r0: i32, r1: i32): void {
  const stride = <usize>n << 2;
  const bj = b + (<usize>j << 2);
  for (let r = r0; r < r1; r++) {
    const first = load<i32>(start + (<usize>r << 2));
    const last = load<i32>(start + ((<usize>r + 1) << 2));
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    for (let e = first; e < last; e++) {
      const x = v128.load32_splat(value + (<usize>e << 2));
      const bp = bj + <usize>load<i32>(index + (<usize>e << 2)) * stride;
      c0 = madd(x, v128.load(bp), c0);
      c1 = madd(x, v128.load(bp, 16), c1);
      c2 = madd(x, v128.load(bp, 32), c2);
      c3 = madd(x, v128.load(bp, 48), c3);
    }
    v128.store(tile, c0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
    memory.copy(c + <usize>r * stride + (<usize>j << 2), tile, <usize>cols << 2);
  }
}
