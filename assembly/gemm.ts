// Dense matrix products. Every output value is summed in one fixed order
// (p ascending, from 0), whatever the blocking and the split between
// threads, so results do not depend on the thread count.
import { loadLanes, madd, maddScalar, storeLanes } from './simd';

/** Rows of B packed per block of k (the packed panel stays in L1/L2). */
const KC = 256;
/** Columns of B packed per panel. */
const NC = 512;
/** Bytes of packing buffer one thread needs. */
export const GEMM_PACK_BYTES: i32 = KC * NC * 4;

/**
 * Columns [j0, j1) of C[m×n] = Σ_p A(i, p)·B(p, j), where A(i, p) is at
 * a + 4(i·ars + p·acs) and B(p, j) at b + 4(p·brs + j·bcs), so one function
 * covers A·B, Aᵀ·B and A·Bᵀ. j0 must be a multiple of 8. Goto's scheme: B is
 * packed KC×8 slivers at a time into `pack` (GEMM_PACK_BYTES, one per
 * thread); a 4×8 block of C stays in registers while p runs over a sliver;
 * blocks continue from the partial sums they stored after the previous KC.
 */
export function gemm(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, m: i32, k: i32, n: i32, pack: usize, j0: i32, j1: i32,
): void {
  const ldc = <usize>n << 2;
  const rowStep = <usize>ars << 2;
  const colStep = <usize>acs << 2;
  const m4 = m & ~3;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const first = pc == 0;
      packPanel(b, <usize>brs << 2, <usize>bcs << 2, pc, kc, jc, nc, pack);
      for (let s = 0; s < nc; s += 8) {
        const sliver = pack + <usize>s * <usize>kc * 4;
        const cols = min(8, j1 - jc - s);
        const cs = c + (<usize>(jc + s) << 2);
        const ap = a + <usize>pc * colStep;
        for (let i = 0; i < m4; i += 4) block4x8(ap + <usize>i * rowStep, rowStep, colStep, sliver, kc, cs + <usize>i * ldc, ldc, cols, first);
        for (let i = m4; i < m; i++) block1x8(ap + <usize>i * rowStep, colStep, sliver, kc, cs + <usize>i * ldc, cols, first);
      }
    }
  }
}

/** B(p, j) for p in [p0, p0 + kc), j in [j0, j0 + nc), as slivers of 8 columns (kc rows of 8 each), zero past j0 + nc. */
function packPanel(b: usize, rowStep: usize, colStep: usize, p0: i32, kc: i32, j0: i32, nc: i32, out: usize): void {
  for (let s = 0; s < nc; s += 8) {
    const cols = min(8, nc - s);
    let dst = out + <usize>s * <usize>kc * 4;
    let src = b + <usize>p0 * rowStep + <usize>(j0 + s) * colStep;
    if (colStep == 4 && cols == 8) {
      for (let p = 0; p < kc; p++, src += rowStep, dst += 32) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++, src += rowStep, dst += 32) {
        for (let q = 0; q < 8; q++) store<f32>(dst + (<usize>q << 2), q < cols ? load<f32>(src + <usize>q * colStep) : 0);
      }
    }
  }
}

/** C[4×8] (row stride ldc bytes, first `cols` columns) = (first ? 0 : C) + A(4 rows)·sliver over kc values of p. */
// @ts-ignore: decorator
@inline function block4x8(a: usize, rowStep: usize, colStep: usize, sliver: usize, kc: i32, c: usize, ldc: usize, cols: i32, first: bool): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (!first) {
    c00 = loadLanes(c, cols); c01 = loadLanes(c + 16, cols - 4);
    c10 = loadLanes(c + ldc, cols); c11 = loadLanes(c + ldc + 16, cols - 4);
    c20 = loadLanes(c + 2 * ldc, cols); c21 = loadLanes(c + 2 * ldc + 16, cols - 4);
    c30 = loadLanes(c + 3 * ldc, cols); c31 = loadLanes(c + 3 * ldc + 16, cols - 4);
  }
  let ap = a;
  let bp = sliver;
  for (let p = 0; p < kc; p++, ap += colStep, bp += 32) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap + rowStep);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap + 2 * rowStep);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap + 3 * rowStep);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
  }
  storeLanes(c, c00, cols); if (cols > 4) storeLanes(c + 16, c01, cols - 4);
  storeLanes(c + ldc, c10, cols); if (cols > 4) storeLanes(c + ldc + 16, c11, cols - 4);
  storeLanes(c + 2 * ldc, c20, cols); if (cols > 4) storeLanes(c + 2 * ldc + 16, c21, cols - 4);
  storeLanes(c + 3 * ldc, c30, cols); if (cols > 4) storeLanes(c + 3 * ldc + 16, c31, cols - 4);
}

/** One row of block4x8: the rows that do not fill a block of 4. */
function block1x8(a: usize, colStep: usize, sliver: usize, kc: i32, c: usize, cols: i32, first: bool): void {
  let c0 = f32x4.splat(0), c1 = c0;
  if (!first) {
    c0 = loadLanes(c, cols);
    c1 = loadLanes(c + 16, cols - 4);
  }
  let ap = a;
  let bp = sliver;
  for (let p = 0; p < kc; p++, ap += colStep, bp += 32) {
    const x = v128.load32_splat(ap);
    c0 = madd(x, v128.load(bp), c0);
    c1 = madd(x, v128.load(bp, 16), c1);
  }
  storeLanes(c, c0, cols);
  if (cols > 4) storeLanes(c + 16, c1, cols - 4);
}

/**
 * Rows [i0, i1) of C[m×n] = A[m×k]·Bᵀ, B stored [n×k]: dot products of
 * rows. Each value is summed in four lanes (p mod 4), the lanes added as
 * (l0 + l1) + (l2 + l3), then the last k mod 4 products one by one. Blocks
 * of 4 rows of A by 2 rows of B; B is walked in groups of rows that stay in
 * cache while every block of A passes over them. i0 must be a multiple of 4.
 */
export function dotProducts(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, i0: i32, i1: i32): void {
  const rowBytes = <usize>k << 2;
  const ldc = <usize>n << 2;
  const group = max(2, ((1 << 16) / max(k, 1)) & ~1); // rows of B in about 256 KiB
  const i4 = i0 + ((i1 - i0) & ~3);
  for (let jg = 0; jg < n; jg += group) {
    const jEnd = min(n, jg + group);
    const j2 = jg + ((jEnd - jg) & ~1);
    for (let i = i0; i < i4; i += 4) {
      const ar = a + <usize>i * rowBytes;
      for (let j = jg; j < j2; j += 2) dot4x2(ar, rowBytes, b + <usize>j * rowBytes, k, c + <usize>i * ldc + (<usize>j << 2), ldc);
      for (let j = j2; j < jEnd; j++) for (let r = 0; r < 4; r++) store<f32>(c + <usize>(i + r) * ldc + (<usize>j << 2), dot(ar + <usize>r * rowBytes, b + <usize>j * rowBytes, k));
    }
    for (let i = i4; i < i1; i++) {
      for (let j = jg; j < jEnd; j++) store<f32>(c + <usize>i * ldc + (<usize>j << 2), dot(a + <usize>i * rowBytes, b + <usize>j * rowBytes, k));
    }
  }
}

/** The four lanes of a partial dot product, added as (l0 + l1) + (l2 + l3). */
// @ts-ignore: decorator
@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** C[4×2] = dot products of 4 rows at a (stride rowBytes) with 2 rows at b. */
// @ts-ignore: decorator
@inline function dot4x2(a: usize, rowBytes: usize, b: usize, k: i32, c: usize, ldc: usize): void {
  const k4 = k & ~3;
  let s00 = f32x4.splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
  const b1 = b + rowBytes;
  for (let p = 0; p < k4; p += 4) {
    const o = <usize>p << 2;
    const x0 = v128.load(b + o);
    const x1 = v128.load(b1 + o);
    let y = v128.load(a + o);
    s00 = madd(y, x0, s00); s01 = madd(y, x1, s01);
    y = v128.load(a + rowBytes + o);
    s10 = madd(y, x0, s10); s11 = madd(y, x1, s11);
    y = v128.load(a + 2 * rowBytes + o);
    s20 = madd(y, x0, s20); s21 = madd(y, x1, s21);
    y = v128.load(a + 3 * rowBytes + o);
    s30 = madd(y, x0, s30); s31 = madd(y, x1, s31);
  }
  store<f32>(c, tail(a, b, k4, k, lanes(s00)));
  store<f32>(c, tail(a, b1, k4, k, lanes(s01)), 4);
  store<f32>(c + ldc, tail(a + rowBytes, b, k4, k, lanes(s10)));
  store<f32>(c + ldc, tail(a + rowBytes, b1, k4, k, lanes(s11)), 4);
  store<f32>(c + 2 * ldc, tail(a + 2 * rowBytes, b, k4, k, lanes(s20)));
  store<f32>(c + 2 * ldc, tail(a + 2 * rowBytes, b1, k4, k, lanes(s21)), 4);
  store<f32>(c + 3 * ldc, tail(a + 3 * rowBytes, b, k4, k, lanes(s30)));
  store<f32>(c + 3 * ldc, tail(a + 3 * rowBytes, b1, k4, k, lanes(s31)), 4);
}

/** sum plus the products of a and b from p0 to k, one by one. */
// @ts-ignore: decorator
@inline function tail(a: usize, b: usize, p0: i32, k: i32, sum: f32): f32 {
  for (let p = p0; p < k; p++) sum = maddScalar(load<f32>(a + (<usize>p << 2)), load<f32>(b + (<usize>p << 2)), sum);
  return sum;
}

/** One dot product, summed as dot4x2 sums each of its values. */
function dot(a: usize, b: usize, k: i32): f32 {
  const k4 = k & ~3;
  let s = f32x4.splat(0);
  for (let p = 0; p < k4; p += 4) s = madd(v128.load(a + (<usize>p << 2)), v128.load(b + (<usize>p << 2)), s);
  return tail(a, b, k4, k, lanes(s));
}
