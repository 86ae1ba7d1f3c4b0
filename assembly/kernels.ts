// WebAssembly SIMD kernels (AssemblyScript). Arrays are row-major f32 (or
// i32 indices) at byte addresses in the shared memory the host passes in.
// Every product writes rows [r0, r1) of its output only, so the host can
// split one product across threads; each output value is summed in the same
// order whatever the split, so results do not depend on the thread count.
//
// Built twice: with plain SIMD, and with relaxed SIMD, where products use
// the fused multiply-add (one rounding instead of two).

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Rows [r0, r1) of C[m×n] = Σ_p A(i, p) · B[p×n], where A(i, p) is at
 * a + 4·(i·ars + p·acs): ars = k, acs = 1 for A[m×k]; ars = 1, acs = m for
 * Aᵀ with A stored [k×m]. Blocks of 4 rows × 8 columns in eight f32x4
 * accumulators; a block skips the p where its four A values are all zero.
 * r0 must be a multiple of 4 (so the blocks are the same for any split).
 */
export function gemm(a: usize, ars: i32, acs: i32, b: usize, c: usize, k: i32, n: i32, r0: i32, r1: i32): void {
  const n8 = n & ~7;
  const m4 = r0 + ((r1 - r0) & ~3);
  const stride = <usize>n << 2;
  const rowStep = <usize>ars << 2;
  const colStep = <usize>acs << 2;
  for (let i = r0; i < m4; i += 4) {
    const a0 = a + <usize>i * rowStep;
    for (let j = 0; j < n8; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let bp = b + (<usize>j << 2);
      let ap = a0;
      for (let p = 0; p < k; p++, bp += stride, ap += colStep) {
        const s0 = load<f32>(ap);
        const s1 = load<f32>(ap + rowStep);
        const s2 = load<f32>(ap + 2 * rowStep);
        const s3 = load<f32>(ap + 3 * rowStep);
        if (s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0) continue;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = f32x4.splat(s0), x1 = f32x4.splat(s1), x2 = f32x4.splat(s2), x3 = f32x4.splat(s3);
        c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
        c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
        c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
        c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
      }
      const cp = c + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + stride, c10); v128.store(cp + stride, c11, 16);
      v128.store(cp + 2 * stride, c20); v128.store(cp + 2 * stride, c21, 16);
      v128.store(cp + 3 * stride, c30); v128.store(cp + 3 * stride, c31, 16);
    }
    for (let r = i; r < i + 4; r++) gemmRow(a, rowStep, colStep, b, c, r, k, n, n8);
  }
  for (let r = m4; r < r1; r++) gemmRow(a, rowStep, colStep, b, c, r, k, n, 0);
}

/** Row r of C, columns from `from` on, one f32 at a time (the ragged edges). */
function gemmRow(a: usize, rowStep: usize, colStep: usize, b: usize, c: usize, r: i32, k: i32, n: i32, from: i32): void {
  const stride = <usize>n << 2;
  for (let j = from; j < n; j++) {
    let sum: f32 = 0;
    let ap = a + <usize>r * rowStep;
    let bp = b + (<usize>j << 2);
    for (let p = 0; p < k; p++, ap += colStep, bp += stride) sum += load<f32>(ap) * load<f32>(bp);
    store<f32>(c + ((<usize>r * <usize>n + <usize>j) << 2), sum);
  }
}

/** Rows [r0, r1) of C[m×n] = A[m×k] · Bᵀ, B stored [n×k]: dot products of rows, four lanes at a time. */
export function gemmTransB(a: usize, b: usize, c: usize, k: i32, n: i32, r0: i32, r1: i32): void {
  const k4 = k & ~3;
  for (let i = r0; i < r1; i++) {
    const ar = a + ((<usize>i * <usize>k) << 2);
    for (let j = 0; j < n; j++) {
      const br = b + ((<usize>j * <usize>k) << 2);
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p < k4; p += 4) acc = madd(v128.load(ar + (<usize>p << 2)), v128.load(br + (<usize>p << 2)), acc);
      let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; p < k; p++) sum += load<f32>(ar + (<usize>p << 2)) * load<f32>(br + (<usize>p << 2));
      store<f32>(c + ((<usize>i * <usize>n + <usize>j) << 2), sum);
    }
  }
}

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
 * room for 4 more than `capacity`.
 */
export function compress(a: usize, m: i32, k: i32, rowStart: usize, index: usize, value: usize, capacity: i32): i32 {
  const zero = f32x4.splat(0);
  const step = i32x4.splat(4);
  const k4 = k & ~3;
  let count = 0;
  store<i32>(rowStart, 0);
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>k) << 2);
    let columns = i32x4(0, 1, 2, 3);
    let p = 0;
    for (; p < k4; p += 4, columns = i32x4.add(columns, step)) {
      const v = v128.load(row + (<usize>p << 2));
      const mask = i32x4.bitmask(f32x4.ne(v, zero));
      if (mask == 0) continue;
      const pattern = v128.load(COMPACT + (<usize>mask << 4));
      v128.store(index + (<usize>count << 2), i8x16.swizzle(columns, pattern));
      v128.store(value + (<usize>count << 2), i8x16.swizzle(v, pattern));
      count += popcnt(mask);
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

/**
 * Rows [r0, r1) of C[m×n] = S · B[k×n], S compressed as `compress` writes
 * it: 32, then 16 columns at a time in registers, then the last (up to 15)
 * columns, whose loads may read past the row (never past B's allocation
 * plus 12 bytes, which the host keeps inside the memory).
 */
export function sparseGemm(rowStart: usize, index: usize, value: usize, b: usize, c: usize, n: i32, r0: i32, r1: i32): void {
  const stride = <usize>n << 2;
  for (let i = r0; i < r1; i++) {
    const first = load<i32>(rowStart + (<usize>i << 2));
    const last = load<i32>(rowStart + ((<usize>i + 1) << 2));
    const cr = c + <usize>i * stride;
    let j = 0;
    for (; j + 32 <= n; j += 32) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
      const bj = b + (<usize>j << 2);
      for (let e = first; e < last; e++) {
        const x = f32x4.splat(load<f32>(value + (<usize>e << 2)));
        const bp = bj + <usize>load<i32>(index + (<usize>e << 2)) * stride;
        c0 = madd(x, v128.load(bp), c0); c1 = madd(x, v128.load(bp, 16), c1);
        c2 = madd(x, v128.load(bp, 32), c2); c3 = madd(x, v128.load(bp, 48), c3);
        c4 = madd(x, v128.load(bp, 64), c4); c5 = madd(x, v128.load(bp, 80), c5);
        c6 = madd(x, v128.load(bp, 96), c6); c7 = madd(x, v128.load(bp, 112), c7);
      }
      const cp = cr + (<usize>j << 2);
      v128.store(cp, c0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
      v128.store(cp, c4, 64); v128.store(cp, c5, 80); v128.store(cp, c6, 96); v128.store(cp, c7, 112);
    }
    for (; j < n; j += 16) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      const bj = b + (<usize>j << 2);
      const left = n - j;
      for (let e = first; e < last; e++) {
        const x = f32x4.splat(load<f32>(value + (<usize>e << 2)));
        const bp = bj + <usize>load<i32>(index + (<usize>e << 2)) * stride;
        c0 = madd(x, v128.load(bp), c0);
        if (left > 4) c1 = madd(x, v128.load(bp, 16), c1);
        if (left > 8) c2 = madd(x, v128.load(bp, 32), c2);
        if (left > 12) c3 = madd(x, v128.load(bp, 48), c3);
      }
      storeColumns(cr + (<usize>j << 2), c0, left);
      if (left > 4) storeColumns(cr + (<usize>j << 2) + 16, c1, left - 4);
      if (left > 8) storeColumns(cr + (<usize>j << 2) + 32, c2, left - 8);
      if (left > 12) storeColumns(cr + (<usize>j << 2) + 48, c3, left - 12);
    }
  }
}

/** Stores the first min(count, 4) lanes of v at p. */
// @ts-ignore: decorator
@inline function storeColumns(p: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/**
 * Rows [p0, p1) of C[k×n] = Sᵀ · B[m×n], S[m×k] compressed: each row i of B,
 * scaled by S's non-zeros in that row, is added to the rows of C they name
 * (in row order i, so every value is summed as the dense product sums it).
 */
export function sparseGemmTransA(rowStart: usize, index: usize, value: usize, m: i32, b: usize, c: usize, n: i32, p0: i32, p1: i32): void {
  const n4 = n & ~3;
  const stride = <usize>n << 2;
  memory.fill(c + <usize>p0 * stride, 0, <usize>(p1 - p0) * stride);
  for (let i = 0; i < m; i++) {
    let e = load<i32>(rowStart + (<usize>i << 2));
    const last = load<i32>(rowStart + ((<usize>i + 1) << 2));
    const br = b + <usize>i * stride;
    while (e < last && load<i32>(index + (<usize>e << 2)) < p0) e++;
    for (; e < last; e++) {
      const p = load<i32>(index + (<usize>e << 2));
      if (p >= p1) break;
      const s = load<f32>(value + (<usize>e << 2));
      const x = f32x4.splat(s);
      const cr = c + <usize>p * stride;
      let j = 0;
      for (; j < n4; j += 4) {
        const cp = cr + (<usize>j << 2);
        v128.store(cp, madd(x, v128.load(br + (<usize>j << 2)), v128.load(cp)));
      }
      for (; j < n; j++) {
        const cp = cr + (<usize>j << 2);
        store<f32>(cp, load<f32>(cp) + s * load<f32>(br + (<usize>j << 2)));
      }
    }
  }
}

/** lo/hi halves of f32x4 v, widened to f64, times s plus o, narrowed back: JavaScript's x * s + o rounded once to f32. */
// @ts-ignore: decorator
@inline function affine4(v: v128, s: v128, o: v128): v128 {
  const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v), s), o);
  const hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), s), o);
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** x[i] = bytes[i] · scale + offset for `length` values: u8 in, f32 out, computed in f64 and rounded once. */
export function bytesToFloats(bytes: usize, x: usize, length: i32, scale: f64, offset: f64): void {
  const s = f64x2.splat(scale);
  const o = f64x2.splat(offset);
  let i = 0;
  for (; i + 16 <= length; i += 16) {
    const b = v128.load(bytes + <usize>i);
    const w0 = i16x8.extend_low_i8x16_u(b);
    const w1 = i16x8.extend_high_i8x16_u(b);
    const p = x + (<usize>i << 2);
    v128.store(p, affine4(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(w0)), s, o));
    v128.store(p, affine4(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(w0)), s, o), 16);
    v128.store(p, affine4(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(w1)), s, o), 32);
    v128.store(p, affine4(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(w1)), s, o), 48);
  }
  for (; i < length; i++) store<f32>(x + (<usize>i << 2), <f32>(<f64>load<u8>(bytes + <usize>i) * scale + offset));
}

/** y = x · alpha + y over `length` f32 values, computed in f64 and rounded once (as JavaScript computes it). */
export function axpy(alpha: f64, x: usize, y: usize, length: i32): void {
  const a = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const xv = v128.load(x + (<usize>i << 2));
    const yv = v128.load(y + (<usize>i << 2));
    const lo = f64x2.add(f64x2.promote_low_f32x4(yv), f64x2.mul(f64x2.promote_low_f32x4(xv), a));
    const hi = f64x2.add(
      f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 0, 1)),
      f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), a),
    );
    v128.store(y + (<usize>i << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < length; i++) {
    const p = y + (<usize>i << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + alpha * <f64>load<f32>(x + (<usize>i << 2))));
  }
}
