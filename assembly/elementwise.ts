// Element-wise kernels: bias and activation (fused), their backward with the
// bias gradient (fused), sums, scaling and the input conversion. Values the
// reference computes in f64 are computed in f64 here too (see simd.ts), so
// plain results equal the TypeScript kernels'.
import { activate, activateBackward, IDENTITY, LEAKY_RELU, SIGMOID, TANH } from './activations';
import { highToF64, loadLanes, lowToF64, storeLanes, toF32 } from './simd';

/**
 * Rows [r0, r1) of Y[m×n] = f(X + bias) (bias 0: none; Y may be X). The
 * last vector of a row reads up to 3 values past it and stores only the row's.
 */
export function biasActivate(x: usize, bias: usize, y: usize, n: i32, kind: i32, slope: f64, r0: i32, r1: i32): void {
  // one loop per activation, so no branch on the kind runs per value (see activate)
  if (kind == SIGMOID) biasActivateRows(x, bias, y, n, SIGMOID, slope, r0, r1);
  else if (kind == TANH) biasActivateRows(x, bias, y, n, TANH, slope, r0, r1);
  else if (kind == LEAKY_RELU) biasActivateRows(x, bias, y, n, LEAKY_RELU, slope, r0, r1);
  else biasActivateRows(x, bias, y, n, IDENTITY, slope, r0, r1);
}

// @ts-ignore: decorator
@inline function biasActivateRows(x: usize, bias: usize, y: usize, n: i32, kind: i32, slope: f64, r0: i32, r1: i32): void {
  const stride = <usize>n << 2;
  for (let r = r0; r < r1; r++) {
    const xr = x + <usize>r * stride;
    const yr = y + <usize>r * stride;
    for (let j = 0; j < n; j += 4) {
      const o = <usize>j << 2;
      let z = v128.load(xr + o);
      if (bias != 0) z = f32x4.add(z, v128.load(bias + o));
      storeLanes(yr + o, activate(kind, z, slope), n - j);
    }
  }
}

/**
 * Columns [j0, j1) of dX[m×n] = dY ⊙ f'(X), from the activation's output Y
 * (dX may be dY), and of dbias = Σ_i dX[i] when dbias is not 0, summed row
 * after row. j0 must be a multiple of 4.
 */
export function activationBackward(y: usize, dy: usize, dx: usize, dbias: usize, m: i32, n: i32, kind: i32, slope: f64, j0: i32, j1: i32): void {
  if (kind == SIGMOID) backwardColumns(y, dy, dx, dbias, m, n, SIGMOID, slope, j0, j1);
  else if (kind == TANH) backwardColumns(y, dy, dx, dbias, m, n, TANH, slope, j0, j1);
  else if (kind == LEAKY_RELU) backwardColumns(y, dy, dx, dbias, m, n, LEAKY_RELU, slope, j0, j1);
  else backwardColumns(y, dy, dx, dbias, m, n, IDENTITY, slope, j0, j1);
}

// @ts-ignore: decorator
@inline function backwardColumns(y: usize, dy: usize, dx: usize, dbias: usize, m: i32, n: i32, kind: i32, slope: f64, j0: i32, j1: i32): void {
  const stride = <usize>n << 2;
  for (let j = j0; j < j1; j += 4) {
    const o = <usize>j << 2;
    const lanes = j1 - j;
    let sum = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const at = <usize>i * stride + o;
      const d = activateBackward(kind, v128.load(y + at), v128.load(dy + at), slope);
      storeLanes(dx + at, d, lanes);
      sum = f32x4.add(sum, d);
    }
    if (dbias != 0) storeLanes(dbias + o, sum, lanes);
  }
}

/** Columns [j0, j1) of out = Σ_i A[i] over the m rows of A[m×n], summed row after row. j0 must be a multiple of 4. */
export function sumRows(a: usize, out: usize, m: i32, n: i32, j0: i32, j1: i32): void {
  const stride = <usize>n << 2;
  for (let j = j0; j < j1; j += 4) {
    const o = <usize>j << 2;
    let sum = f32x4.splat(0);
    for (let i = 0; i < m; i++) sum = f32x4.add(sum, v128.load(a + <usize>i * stride + o));
    storeLanes(out + o, sum, j1 - j);
  }
}

/** out = a ⊙ b over `length` values. */
export function multiply(a: usize, b: usize, out: usize, length: i32): void {
  for (let i = 0; i < length; i += 4) {
    const o = <usize>i << 2;
    storeLanes(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)), length - i);
  }
}

/** y = x·alpha + y over `length` values, computed in f64 and rounded once (as JavaScript computes it). */
export function axpy(alpha: f64, x: usize, y: usize, length: i32): void {
  const a = f64x2.splat(alpha);
  for (let i = 0; i < length; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    const yv = v128.load(y + o);
    const r = toF32(f64x2.add(lowToF64(yv), f64x2.mul(lowToF64(xv), a)), f64x2.add(highToF64(yv), f64x2.mul(highToF64(xv), a)));
    storeLanes(y + o, r, length - i);
  }
}

/** lo/hi halves of v, times s plus o in f64, rounded once: JavaScript's x * s + o stored in a Float32Array. */
// @ts-ignore: decorator
@inline function affine4(v: v128, s: v128, o: v128): v128 {
  return toF32(f64x2.add(f64x2.mul(lowToF64(v), s), o), f64x2.add(f64x2.mul(highToF64(v), s), o));
}

/**
 * x[i] = bytes[i]·scale + offset for `length` values, u8 in, f32 out, as
 * JavaScript computes it: in f64, rounded once. With `divisor` > 0, as
 * bytes[i] / divisor + offset in f32 instead, which the host uses only
 * when it gives the same 256 values (it does for the usual 1/255, 0) and
 * which costs a third as much.
 */
export function bytesToFloats(bytes: usize, x: usize, length: i32, scale: f64, offset: f64, divisor: f32): void {
  const s = f64x2.splat(scale);
  const o = f64x2.splat(offset);
  const d = f32x4.splat(divisor);
  const o32 = f32x4.splat(<f32>offset);
  // x for a zero byte, so runs of zeros (most of an MNIST image) cost a test and four stores
  const zero = f32x4.splat(<f32>(0 * scale + offset));
  let i = 0;
  for (; i + 16 <= length; i += 16) {
    const b = v128.load(bytes + <usize>i);
    const p = x + (<usize>i << 2);
    if (!v128.any_true(b)) {
      v128.store(p, zero);
      v128.store(p, zero, 16);
      v128.store(p, zero, 32);
      v128.store(p, zero, 48);
      continue;
    }
    const w0 = i16x8.extend_low_i8x16_u(b);
    const w1 = i16x8.extend_high_i8x16_u(b);
    const v0 = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(w0));
    const v1 = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(w0));
    const v2 = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(w1));
    const v3 = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(w1));
    if (divisor > 0) {
      v128.store(p, f32x4.add(f32x4.div(v0, d), o32));
      v128.store(p, f32x4.add(f32x4.div(v1, d), o32), 16);
      v128.store(p, f32x4.add(f32x4.div(v2, d), o32), 32);
      v128.store(p, f32x4.add(f32x4.div(v3, d), o32), 48);
    } else {
      v128.store(p, affine4(v0, s, o));
      v128.store(p, affine4(v1, s, o), 16);
      v128.store(p, affine4(v2, s, o), 32);
      v128.store(p, affine4(v3, s, o), 48);
    }
  }
  for (; i < length; i++) {
    const b = load<u8>(bytes + <usize>i);
    store<f32>(x + (<usize>i << 2), divisor > 0 ? <f32>b / divisor + <f32>offset : <f32>(<f64>b * scale + offset));
  }
}

/**
 * Rows [r0, r1) of X[rows×cols]: row r from the bytes at base + offsets[r]
 * (a batch gathered straight from its data set), converted as
 * bytesToFloats converts.
 */
export function gatherBytes(base: usize, offsets: usize, cols: i32, x: usize, scale: f64, offset: f64, divisor: f32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    bytesToFloats(base + <usize>load<i32>(offsets + (<usize>r << 2)), x + <usize>r * (<usize>cols << 2), cols, scale, offset, divisor);
  }
}

/** How many of the `length` values are ±Infinity or NaN. */
export function countNonFinite(x: usize, length: i32): i32 {
  let count = 0;
  for (let i = 0; i < length; i += 4) {
    const v = loadLanes(x + (<usize>i << 2), length - i);
    const d = f32x4.sub(v, v);
    count += popcnt(i32x4.bitmask(f32x4.ne(d, d)));
  }
  return count;
}
