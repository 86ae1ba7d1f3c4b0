// Small SIMD helpers shared by the kernels.

/**
 * acc + a·b on four f32 lanes: two roundings with plain SIMD, one (fused
 * multiply-add) in the relaxed build.
 */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** acc + a·b on one f32, rounded as `madd` rounds each lane. */
// @ts-ignore: decorator
@inline export function maddScalar(a: f32, b: f32, acc: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(acc)), 0);
  return acc + a * b;
}

/** The low two f32 lanes of v as f64 lanes. */
// @ts-ignore: decorator
@inline export function lowToF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** The high two f32 lanes of v as f64 lanes. */
// @ts-ignore: decorator
@inline export function highToF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Two f64x2 rounded to f32 and packed into four lanes: lo's, then hi's. */
// @ts-ignore: decorator
@inline export function toF32(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Stores the first min(count, 4) lanes of v at p. */
// @ts-ignore: decorator
@inline export function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Loads the first min(count, 4) f32s at p, the other lanes 0 (never reads past them). */
// @ts-ignore: decorator
@inline export function loadLanes(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  if (count <= 0) return v;
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** 1 where a lane of v is ±Infinity or NaN, else 0, summed into the i32x4 `count`. */
// @ts-ignore: decorator
@inline export function countNonFinite(v: v128, count: v128): v128 {
  // x - x is 0 for finite x and NaN otherwise; NaN ≠ NaN gives an all-ones lane (-1).
  const d = f32x4.sub(v, v);
  return i32x4.sub(count, f32x4.ne(d, d));
}

/** The sum of the four i32 lanes. */
// @ts-ignore: decorator
@inline export function sumLanes(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}
