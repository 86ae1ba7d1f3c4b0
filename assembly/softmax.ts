// Softmax with cross-entropy, and counting correct predictions. Computed as
// the TypeScript reference computes them (f64, V8's exp and log, rows and
// classes in order) in both builds: the loss column is the same number
// whichever kernels ran.
import { exp64x2, log64 } from './libm';

/**
 * For rows [r0, r1) of logits[m×n] against labels: the cross-entropy
 * log Σ_j e^z_j - z_label (computed stably, from the row's maximum), into
 * rowLoss[r] (f64) when rowLoss is not 0; when grad is not 0,
 * grad = (softmax - onehot)·scale. Returns the rows' losses summed in order
 * from 0. A label outside [0, n) gives a NaN loss.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, n: i32, grad: usize, scale: f64, rowLoss: usize, r0: i32, r1: i32): f64 {
  let total: f64 = 0;
  const stride = <usize>n << 2;
  for (let r = r0; r < r1; r++) {
    const row = logits + <usize>r * stride;
    const label = load<i32>(labels + (<usize>r << 2));
    let max: f64 = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, <f64>load<f32>(row + (<usize>j << 2)));
    const sum = sumExp(row, n, max);
    const logSum = max + log64(sum);
    const loss = label >= 0 && label < n ? logSum - <f64>load<f32>(row + (<usize>label << 2)) : NaN;
    total += loss;
    if (rowLoss != 0) store<f64>(rowLoss + (<usize>r << 3), loss);
    if (grad != 0) writeGradient(row, grad + <usize>r * stride, n, label, logSum, scale);
  }
  return total;
}

/** Σ_j e^(row[j] - shift), summed in column order. */
function sumExp(row: usize, n: i32, shift: f64): f64 {
  const s = f64x2.splat(shift);
  let sum: f64 = 0;
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const e = exp64x2(f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>j << 2))), s));
    sum += f64x2.extract_lane(e, 0);
    sum += f64x2.extract_lane(e, 1);
  }
  if (j < n) sum += f64x2.extract_lane(exp64x2(f64x2.splat(<f64>load<f32>(row + (<usize>j << 2)) - shift)), 0);
  return sum;
}

/** grad[j] = (e^(row[j] - logSum) - [j = label])·scale, rounded to f32. */
function writeGradient(row: usize, grad: usize, n: i32, label: i32, logSum: f64, scale: f64): void {
  const s = f64x2.splat(logSum);
  for (let j = 0; j < n; j += 2) {
    const pair = j + 1 < n;
    const x = pair ? v128.load64_zero(row + (<usize>j << 2)) : f32x4.splat(load<f32>(row + (<usize>j << 2)));
    const p = exp64x2(f64x2.sub(f64x2.promote_low_f32x4(x), s));
    const p0 = f64x2.extract_lane(p, 0);
    store<f32>(grad + (<usize>j << 2), <f32>((j == label ? p0 - 1 : p0) * scale));
    if (pair) {
      const p1 = f64x2.extract_lane(p, 1);
      store<f32>(grad + (<usize>(j + 1) << 2), <f32>((j + 1 == label ? p1 - 1 : p1) * scale));
    }
  }
}

/** How many of rows [r0, r1) of scores[m×n] have their largest value (the first, on ties) at their label. */
export function countCorrect(scores: usize, labels: usize, n: i32, r0: i32, r1: i32): i32 {
  let correct = 0;
  const stride = <usize>n << 2;
  for (let r = r0; r < r1; r++) {
    const row = scores + <usize>r * stride;
    let best = 0;
    let top = load<f32>(row);
    for (let j = 1; j < n; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (v > top) {
        top = v;
        best = j;
      }
    }
    if (best == load<i32>(labels + (<usize>r << 2))) correct++;
  }
  return correct;
}
