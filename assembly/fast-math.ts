// float32 exp for the relaxed build: fast, within about 1 ulp, not the
// reference's rounding.

/**
 * e^x for x ≤ 0 on four f32 lanes, within about 1 ulp: x = n·ln2 + r with
 * |r| ≤ ln2/2, e^r by its Taylor polynomial of degree 7, times 2^n in two
 * steps so results below the smallest normal float round as subnormals.
 */
// @ts-ignore: decorator
@inline export function expNegative(x: v128): v128 {
  const clamped = f32x4.max(x, f32x4.splat(-104));
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(1.44269504)));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(0.693145752)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(1.42860677e-6)));
  let p = f32x4.add(f32x4.splat(1.0 / 720), f32x4.mul(r, f32x4.splat(1.0 / 5040)));
  p = f32x4.add(f32x4.splat(1.0 / 120), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 24), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  const k = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(k, 1);
  const y = f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23)), i32x4.shl(i32x4.add(i32x4.sub(k, half), i32x4.splat(127)), 23));
  return v128.bitselect(f32x4.splat(0), y, f32x4.lt(x, f32x4.splat(-104)));
}

