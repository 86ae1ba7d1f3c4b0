// Batch normalisation over the rows of an [m×n] matrix, column by column,
// computed as the TypeScript reference computes it (sums rounded to f32 at
// every row, the rest in f64). Column ranges [j0, j1) let threads share a
// call; j0 must be a multiple of 4.
import { highToF64, lowToF64, storeLanes, toF32 } from './simd';

/** Per column: the mean and the (biased) variance. */
export function columnMoments(x: usize, mean: usize, variance: usize, m: i32, n: i32, j0: i32, j1: i32): void {
  const stride = <usize>n << 2;
  const rows = f32x4.splat(<f32>m);
  for (let j = j0; j < j1; j += 4) {
    const o = <usize>j << 2;
    let sum = f32x4.splat(0);
    for (let i = 0; i < m; i++) sum = f32x4.add(sum, v128.load(x + <usize>i * stride + o));
    const mu = f32x4.div(sum, rows);
    const mlo = lowToF64(mu);
    const mhi = highToF64(mu);
    let v = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const xv = v128.load(x + <usize>i * stride + o);
      const dlo = f64x2.sub(lowToF64(xv), mlo);
      const dhi = f64x2.sub(highToF64(xv), mhi);
      v = toF32(f64x2.add(lowToF64(v), f64x2.mul(dlo, dlo)), f64x2.add(highToF64(v), f64x2.mul(dhi, dhi)));
    }
    storeLanes(mean + o, mu, j1 - j);
    storeLanes(variance + o, f32x4.div(v, rows), j1 - j);
  }
}

/** x̂ = (x - mean)·invStd; y = gamma·x̂ + beta (from the unrounded x̂). */
export function batchNormalize(
  x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, xhat: usize, y: usize, m: i32, n: i32, j0: i32, j1: i32,
): void {
  const stride = <usize>n << 2;
  for (let j = j0; j < j1; j += 4) {
    const o = <usize>j << 2;
    const lanes = j1 - j;
    const mu = v128.load(mean + o), s = v128.load(invStd + o), g = v128.load(gamma + o), b = v128.load(beta + o);
    for (let i = 0; i < m; i++) {
      const at = <usize>i * stride + o;
      const xv = v128.load(x + at);
      const hlo = f64x2.mul(f64x2.sub(lowToF64(xv), lowToF64(mu)), lowToF64(s));
      const hhi = f64x2.mul(f64x2.sub(highToF64(xv), highToF64(mu)), highToF64(s));
      storeLanes(xhat + at, toF32(hlo, hhi), lanes);
      storeLanes(y + at, toF32(f64x2.add(f64x2.mul(lowToF64(g), hlo), lowToF64(b)), f64x2.add(f64x2.mul(highToF64(g), hhi), highToF64(b))), lanes);
    }
  }
}

/**
 * Backward with batch statistics: dbeta = Σ dy, dgamma = Σ dy·x̂,
 * dx = (gamma·invStd / m)·(m·dy - dbeta - x̂·dgamma).
 */
export function batchNormBackward(
  dy: usize, xhat: usize, gamma: usize, invStd: usize, dgamma: usize, dbeta: usize, dx: usize, m: i32, n: i32, j0: i32, j1: i32,
): void {
  const stride = <usize>n << 2;
  const rows = f64x2.splat(<f64>m);
  for (let j = j0; j < j1; j += 4) {
    const o = <usize>j << 2;
    const lanes = j1 - j;
    let db = f32x4.splat(0);
    let dg = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const at = <usize>i * stride + o;
      const d = v128.load(dy + at);
      const h = v128.load(xhat + at);
      db = f32x4.add(db, d);
      dg = toF32(
        f64x2.add(lowToF64(dg), f64x2.mul(lowToF64(d), lowToF64(h))),
        f64x2.add(highToF64(dg), f64x2.mul(highToF64(d), highToF64(h))),
      );
    }
    storeLanes(dbeta + o, db, lanes);
    storeLanes(dgamma + o, dg, lanes);
    const g = v128.load(gamma + o), s = v128.load(invStd + o);
    const klo = f64x2.div(f64x2.mul(lowToF64(g), lowToF64(s)), rows);
    const khi = f64x2.div(f64x2.mul(highToF64(g), highToF64(s)), rows);
    for (let i = 0; i < m; i++) {
      const at = <usize>i * stride + o;
      const d = v128.load(dy + at);
      const h = v128.load(xhat + at);
      const lo = f64x2.sub(f64x2.sub(f64x2.mul(rows, lowToF64(d)), lowToF64(db)), f64x2.mul(lowToF64(h), lowToF64(dg)));
      const hi = f64x2.sub(f64x2.sub(f64x2.mul(rows, highToF64(d)), highToF64(db)), f64x2.mul(highToF64(h), highToF64(dg)));
      storeLanes(dx + at, toF32(f64x2.mul(klo, lo), f64x2.mul(khi, hi)), lanes);
    }
  }
}
