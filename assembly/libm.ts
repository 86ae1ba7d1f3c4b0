// exp, expm1, tanh and log as V8 computes Math.exp, Math.expm1, Math.tanh
// and Math.log: the fdlibm algorithms (Sun Microsystems, freely
// redistributable; V8 ports them in src/base/ieee754.cc), on two f64 lanes
// at once. Every branch of the scalar code is evaluated for both lanes and
// the lane's own is selected, so each lane gets exactly the double V8
// returns, bit for bit (tested against Math.* on random and edge inputs).
// This is what lets the plain kernels reproduce the TypeScript reference.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const E: f64 = 2.718281828459045;

/** The high 32 bits of each f64 lane, sign-extended to i64 lanes. */
// @ts-ignore: decorator
@inline function highWords(x: v128): v128 {
  return i64x2.shr_s(x, 32);
}

/** 2^k for integer-valued f64 lanes k in [-1022, 1023]. */
// @ts-ignore: decorator
@inline function powerOfTwo(k: v128): v128 {
  return i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k)), i64x2.splat(1023)), 52);
}

/**
 * The multiple k of ln2 that fdlibm's argument reduction takes out of x:
 * 0 for |x| ≤ 0.5 ln2, ±1 up to 1.5 ln2 (by the high word, as fdlibm tests
 * it), else trunc(x / ln2 ± 0.5). `hx` holds |x|'s high words.
 */
// @ts-ignore: decorator
@inline function reductionMultiple(x: v128, hx: v128, negative: v128): v128 {
  const one = f64x2.splat(1);
  const half = v128.bitselect(f64x2.splat(-0.5), f64x2.splat(0.5), negative);
  let k = f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), half));
  k = v128.bitselect(v128.bitselect(f64x2.neg(one), one, negative), k, i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2)));
  return v128.bitselect(f64x2.splat(0), k, i64x2.le_s(hx, i64x2.splat(0x3fd62e42)));
}

/**
 * exp64x2's constants, loaded from memory where used: V8 rebuilds a v128
 * constant from general registers each time one appears in a loop (three
 * instructions), while a load from here is one.
 */
const EXP: usize = memory.data<f64>([
  INV_LN2, INV_LN2, // 0
  0.5, 0.5, // 16
  LN2_HI, LN2_HI, // 32
  LN2_LO, LN2_LO, // 48
  4.13813679705723846039e-08, 4.13813679705723846039e-08, // 64: P5
  -1.65339022054652515390e-06, -1.65339022054652515390e-06, // 80: P4
  6.61375632143793436117e-05, 6.61375632143793436117e-05, // 96: P3
  -2.77777777770155933842e-03, -2.77777777770155933842e-03, // 112: P2
  1.66666666666666019037e-01, 1.66666666666666019037e-01, // 128: P1
  2, 2, // 144
  1, 1, // 160
  -1021, -1021, // 176
  1024, 1024, // 192
  1000, 1000, // 208
  1023, 1023, // 224
  TWO_M1000, TWO_M1000, // 240
  E, E, // 256
  Infinity, Infinity, // 272
  O_THRESHOLD, O_THRESHOLD, // 288
  U_THRESHOLD, U_THRESHOLD, // 304
], 16);

/** Math.exp on both lanes. */
// @ts-ignore: decorator
@inline export function exp64x2(x: v128): v128 {
  const high = highWords(x);
  const hx = v128.and(high, i64x2.splat(0x7fffffff));
  const negative = i64x2.lt_s(high, i64x2.splat(0));
  const one = v128.load(EXP, 160);
  // k: 0 up to 0.5 ln2, ±1 up to 1.5 ln2 (by the high word, as fdlibm tests it), else trunc(x / ln2 ± 0.5)
  const half = v128.xor(v128.load(EXP, 16), v128.and(negative, f64x2.splat(-0.0)));
  let k = f64x2.trunc(f64x2.add(f64x2.mul(v128.load(EXP), x), half));
  k = v128.bitselect(v128.xor(one, v128.and(negative, f64x2.splat(-0.0))), k, i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2)));
  k = v128.andnot(k, i64x2.le_s(hx, i64x2.splat(0x3fd62e42)));
  const hi = f64x2.sub(x, f64x2.mul(k, v128.load(EXP, 32)));
  const lo = f64x2.mul(k, v128.load(EXP, 48));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let p = f64x2.add(v128.load(EXP, 80), f64x2.mul(rr, v128.load(EXP, 64)));
  p = f64x2.add(v128.load(EXP, 96), f64x2.mul(rr, p));
  p = f64x2.add(v128.load(EXP, 112), f64x2.mul(rr, p));
  p = f64x2.add(v128.load(EXP, 128), f64x2.mul(rr, p));
  const c = f64x2.sub(r, f64x2.mul(rr, p));
  // k = 0: fdlibm returns 1 - ((r·c)/(c - 2) - r), the same double as this with lo = 0 and hi = r.
  let y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(v128.load(EXP, 144), c))), hi));
  // Scale by 2^k; at the ends of the range fdlibm scales in two steps.
  const low = f64x2.lt(k, v128.load(EXP, 176));
  const top = f64x2.eq(k, v128.load(EXP, 192));
  let scale = v128.bitselect(f64x2.add(k, v128.load(EXP, 208)), k, low);
  scale = v128.bitselect(v128.load(EXP, 224), scale, top);
  y = v128.bitselect(f64x2.add(y, y), y, top);
  let result = f64x2.mul(y, powerOfTwo(scale));
  result = v128.bitselect(f64x2.mul(result, v128.load(EXP, 240)), result, low);
  result = v128.bitselect(f64x2.add(one, x), result, i64x2.lt_s(hx, i64x2.splat(0x3e300000)));
  result = v128.bitselect(v128.load(EXP, 256), result, f64x2.eq(x, one));
  result = v128.bitselect(v128.load(EXP, 272), result, f64x2.gt(x, v128.load(EXP, 288)));
  result = v128.andnot(result, f64x2.lt(x, v128.load(EXP, 304)));
  return v128.bitselect(f64x2.add(x, x), result, f64x2.ne(x, x));
}

/** Math.expm1 on both lanes. */
export function expm164x2(x: v128): v128 {
  const high = highWords(x);
  const hx = v128.and(high, i64x2.splat(0x7fffffff));
  const negative = i64x2.lt_s(high, i64x2.splat(0));
  const one = f64x2.splat(1);
  const two = f64x2.splat(2);
  const k = reductionMultiple(x, hx, negative);
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const c = f64x2.sub(f64x2.sub(hi, r), lo);
  const hfx = f64x2.mul(f64x2.splat(0.5), r);
  const hxs = f64x2.mul(r, hfx);
  let q = f64x2.add(f64x2.splat(4.00821782732936239552e-06), f64x2.mul(hxs, f64x2.splat(-2.01099218183624371326e-07)));
  q = f64x2.add(f64x2.splat(-7.93650757867487942473e-05), f64x2.mul(hxs, q));
  q = f64x2.add(f64x2.splat(1.58730158725481460165e-03), f64x2.mul(hxs, q));
  q = f64x2.add(f64x2.splat(-3.33333333333331316428e-02), f64x2.mul(hxs, q));
  const r1 = f64x2.add(one, f64x2.mul(hxs, q));
  const t = f64x2.sub(f64x2.splat(3), f64x2.mul(r1, hfx));
  let e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(f64x2.splat(6), f64x2.mul(r, t))));
  const k0 = f64x2.sub(r, f64x2.sub(f64x2.mul(r, e), hxs));
  e = f64x2.sub(f64x2.sub(f64x2.mul(r, f64x2.sub(e, c)), c), hxs);
  const kMinus1 = f64x2.sub(f64x2.mul(f64x2.splat(0.5), f64x2.sub(r, e)), f64x2.splat(0.5));
  const k1 = v128.bitselect(
    f64x2.mul(f64x2.splat(-2), f64x2.sub(e, f64x2.add(r, f64x2.splat(0.5)))),
    f64x2.add(one, f64x2.mul(two, f64x2.sub(r, e))),
    f64x2.lt(r, f64x2.splat(-0.25)),
  );
  // 2^k for k in [-56, 1023]; k = 1024 is scaled in two steps, as fdlibm does.
  const top = f64x2.eq(k, f64x2.splat(1024));
  const twopk = powerOfTwo(v128.bitselect(f64x2.splat(1023), k, top));
  let far = f64x2.sub(one, f64x2.sub(e, r));
  far = f64x2.mul(v128.bitselect(f64x2.add(far, far), far, top), twopk);
  far = f64x2.sub(far, one);
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  // k in [2, 19]: ((1 - 2^-k) - (e - r))·2^k; k in [20, 56]: (r - (e + 2^-k) + 1)·2^k (1 - 2^-k is exact)
  const inverse = i64x2.shl(i64x2.sub(i64x2.splat(0x3ff), ki), 52);
  const near = f64x2.mul(f64x2.sub(f64x2.sub(one, inverse), f64x2.sub(e, r)), twopk);
  const mid = f64x2.mul(f64x2.add(f64x2.sub(r, f64x2.add(e, inverse)), one), twopk);
  let result = v128.bitselect(near, mid, f64x2.lt(k, f64x2.splat(20)));
  result = v128.bitselect(far, result, v128.or(f64x2.le(k, f64x2.splat(-2)), f64x2.gt(k, f64x2.splat(56))));
  result = v128.bitselect(k1, result, f64x2.eq(k, one));
  result = v128.bitselect(kMinus1, result, f64x2.eq(k, f64x2.neg(one)));
  result = v128.bitselect(k0, result, f64x2.eq(k, f64x2.splat(0)));
  result = v128.bitselect(x, result, i64x2.lt_s(hx, i64x2.splat(0x3c900000)));
  // |x| ≥ 56 ln2: -1 below, overflow above 709.78; then ±Infinity and NaN.
  const huge = i64x2.ge_s(hx, i64x2.splat(0x4043687a));
  result = v128.bitselect(f64x2.neg(one), result, v128.and(huge, negative));
  result = v128.bitselect(f64x2.splat(Infinity), result, f64x2.gt(x, f64x2.splat(O_THRESHOLD)));
  return v128.bitselect(f64x2.add(x, x), result, f64x2.ne(x, x));
}

/** Math.tanh on both lanes: ±(1 - 2/(expm1(2|x|) + 2)) from |x| = 1, else ∓expm1(-2|x|)/(expm1(-2|x|) + 2). */
export function tanh64x2(x: v128): v128 {
  const high = highWords(x);
  const hx = v128.and(high, i64x2.splat(0x7fffffff));
  const one = f64x2.splat(1);
  const two = f64x2.splat(2);
  const a = f64x2.abs(x);
  const large = i64x2.ge_s(hx, i64x2.splat(0x3ff00000));
  const t = expm164x2(f64x2.mul(v128.bitselect(two, f64x2.splat(-2), large), a));
  const q = f64x2.div(v128.bitselect(two, f64x2.neg(t), large), f64x2.add(t, two));
  let z = v128.bitselect(f64x2.sub(one, q), q, large);
  z = v128.bitselect(one, z, i64x2.ge_s(hx, i64x2.splat(0x40360000)));
  z = v128.bitselect(z, f64x2.neg(z), i64x2.ge_s(high, i64x2.splat(0)));
  z = v128.bitselect(x, z, i64x2.lt_s(hx, i64x2.splat(0x3e300000)));
  // ±Infinity: 1/x ± 1; NaN stays NaN
  const infinite = i64x2.ge_s(hx, i64x2.splat(0x7ff00000));
  const edge = v128.bitselect(f64x2.add(f64x2.div(one, x), one), f64x2.sub(f64x2.div(one, x), one), i64x2.ge_s(high, i64x2.splat(0)));
  return v128.bitselect(edge, z, infinite);
}

/** Math.log of one f64. */
export function log64(x: f64): f64 {
  let bits = reinterpret<i64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e+16;
    bits = reinterpret<i64>(x);
    hx = <i32>(bits >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((<i64>(hx | (i ^ 0x3ff00000)) << 32) | (reinterpret<i64>(x) & 0xffffffff));
  k += i >> 20;
  const f = x - 1.0;
  const dk = <f64>k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) return k == 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - R : dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return k == 0 ? f - s * (f - R) : dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}
