// float32 exp for the relaxed build: fast, within about 1 ulp, not the
// reference's rounding.

/**
 * Its constants, loaded from memory where used: V8 rebuilds a v128
 * constant from two general registers every time one appears in a loop
 * (three instructions), while a load from here is one.
 */
const EXP: usize = memory.data<f32>([
  -104, -104, -104, -104, // 0: below this, e^x < 2^-150 rounds to 0
  1.44269504, 1.44269504, 1.44269504, 1.44269504, // 16: 1/ln2
  12582912, 12582912, 12582912, 12582912, // 32: 1.5·2^23
  0.693145752, 0.693145752, 0.693145752, 0.693145752, // 48: ln2, high part
  1.42860677e-6, 1.42860677e-6, 1.42860677e-6, 1.42860677e-6, // 64: ln2, low part
  1.0 / 5040, 1.0 / 5040, 1.0 / 5040, 1.0 / 5040, // 80: Taylor coefficients, 1/7! down to 1/2!
  1.0 / 720, 1.0 / 720, 1.0 / 720, 1.0 / 720, // 96
  1.0 / 120, 1.0 / 120, 1.0 / 120, 1.0 / 120, // 112
  1.0 / 24, 1.0 / 24, 1.0 / 24, 1.0 / 24, // 128
  1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, // 144
  0.5, 0.5, 0.5, 0.5, // 160
  1, 1, 1, 1, // 176
], 16);

/**
 * e^x for x ≤ 0 on four f32 lanes, within about 1 ulp: x = n·ln2 + r with
 * |r| ≤ ln2/2, e^r by its Taylor polynomial of degree 7, times 2^n in two
 * steps so results below the smallest normal float round as subnormals.
 * NaN stays NaN.
 */
// @ts-ignore: decorator
@inline export function expNegative(x: v128): v128 {
  const low = v128.load(EXP);
  const clamped = f32x4.pmax(x, low);
  // n = round(x / ln2) by the magic-number trick: adding 1.5·2^23 leaves n in the low mantissa bits
  const magic = f32x4.add(f32x4.mul(clamped, v128.load(EXP, 16)), v128.load(EXP, 32));
  const n = f32x4.sub(magic, v128.load(EXP, 32));
  let r = f32x4.sub(clamped, f32x4.mul(n, v128.load(EXP, 48)));
  r = f32x4.sub(r, f32x4.mul(n, v128.load(EXP, 64)));
  let p = f32x4.add(v128.load(EXP, 96), f32x4.mul(r, v128.load(EXP, 80)));
  p = f32x4.add(v128.load(EXP, 112), f32x4.mul(r, p));
  p = f32x4.add(v128.load(EXP, 128), f32x4.mul(r, p));
  p = f32x4.add(v128.load(EXP, 144), f32x4.mul(r, p));
  p = f32x4.add(v128.load(EXP, 160), f32x4.mul(r, p));
  const one = v128.load(EXP, 176);
  p = f32x4.add(one, f32x4.mul(r, p));
  p = f32x4.add(one, f32x4.mul(r, p));
  const k = i32x4.sub(magic, i32x4.splat(0x4b400000));
  const half = i32x4.shr_s(k, 1);
  const bias = i32x4.splat(127);
  const y = f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(half, bias), 23)), i32x4.shl(i32x4.add(i32x4.sub(k, half), bias), 23));
  return v128.andnot(y, f32x4.lt(x, low));
}
