// Activation functions on four f32 lanes, and their derivatives from the
// output. The plain build computes each value as the TypeScript reference
// does (in f64 with V8's own exp and tanh, rounded once to f32), so the two
// agree bit for bit. The relaxed build computes the sigmoid in f32 with a
// polynomial exp (within about 1 ulp of float32, much faster); tanh, whose
// f32 forms lose accuracy near 0, stays exact in both.
import { expNegative } from './fast-math';
import { exp64x2, tanh64x2 } from './libm';
import { highToF64, lowToF64, toF32 } from './simd';

export const IDENTITY = 0;
export const SIGMOID = 1;
export const TANH = 2;
/** max(x, slope·x): ReLU with slope 0. */
export const LEAKY_RELU = 3;

// @ts-ignore: decorator
@inline function sigmoid64x2(x: v128): v128 {
  const one = f64x2.splat(1);
  return f64x2.div(one, f64x2.add(one, exp64x2(f64x2.neg(x))));
}

/** 1 / (1 + e^-x) from e = e^-|x| (never overflows): 1 / (1 + e) for x ≥ 0, e / (1 + e) below. */
// @ts-ignore: decorator
@inline function sigmoidFast(x: v128): v128 {
  const one = f32x4.splat(1);
  const e = expNegative(f32x4.neg(f32x4.abs(x)));
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0))), f32x4.add(one, e));
}

/**
 * f(x) for the activation `kind`. Call it with a constant kind from code
 * inlined per kind (see elementwise.ts): Binaryen evaluates every branch of
 * a chain of early returns and picks one, which for a variable kind would
 * compute a tanh for every value.
 */
// @ts-ignore: decorator
@inline export function activate(kind: i32, x: v128, slope: f64): v128 {
  let y = x;
  if (kind == SIGMOID) {
    if (ASC_FEATURE_RELAXED_SIMD) y = sigmoidFast(x);
    else y = toF32(sigmoid64x2(lowToF64(x)), sigmoid64x2(highToF64(x)));
  } else if (kind == TANH) {
    y = toF32(tanh64x2(lowToF64(x)), tanh64x2(highToF64(x)));
  } else if (kind == LEAKY_RELU) {
    const s = f64x2.splat(slope);
    y = v128.bitselect(x, toF32(f64x2.mul(s, lowToF64(x)), f64x2.mul(s, highToF64(x))), f32x4.gt(x, f32x4.splat(0)));
  }
  return y;
}

/** dy·f'(x) from the output y = f(x), computed as the reference does: in f64, rounded once. Call it with a constant kind (see activate). */
// @ts-ignore: decorator
@inline export function activateBackward(kind: i32, y: v128, dy: v128, slope: f64): v128 {
  const one = f64x2.splat(1);
  let dx = dy;
  if (kind == SIGMOID) {
    const ylo = lowToF64(y);
    const yhi = highToF64(y);
    dx = toF32(f64x2.mul(f64x2.mul(lowToF64(dy), ylo), f64x2.sub(one, ylo)), f64x2.mul(f64x2.mul(highToF64(dy), yhi), f64x2.sub(one, yhi)));
  } else if (kind == TANH) {
    const ylo = lowToF64(y);
    const yhi = highToF64(y);
    dx = toF32(f64x2.mul(lowToF64(dy), f64x2.sub(one, f64x2.mul(ylo, ylo))), f64x2.mul(highToF64(dy), f64x2.sub(one, f64x2.mul(yhi, yhi))));
  } else if (kind == LEAKY_RELU) {
    // y > 0 exactly where the input was > 0 (the slope is in [0, 1)).
    const s = f64x2.splat(slope);
    dx = v128.bitselect(dy, toF32(f64x2.mul(s, lowToF64(dy)), f64x2.mul(s, highToF64(dy))), f32x4.gt(y, f32x4.splat(0)));
  }
  return dx;
}
