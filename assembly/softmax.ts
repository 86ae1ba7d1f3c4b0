// Softmax with cross-entropy, and counting correct predictions. The plain
// build computes as the TypeScript reference computes (f64, V8's exp and
// log, rows and classes in order); the relaxed build takes the
// exponentials in f32 (within about 1 ulp each), four classes at a time.
import { expNegative } from './fast-math';
import { exp64x2, log64 } from './libm';
import { loadLanes, storeLanes } from './simd';

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
    if (grad != 0) writeGradient(row, grad + <usize>r * stride, n, label, logSum, max, sum, scale);
  }
  return total;
}

/** Σ_j e^(row[j] - shift), summed in column order (relaxed: in f32, four columns at a time, then the lanes in f64). */
function sumExp(row: usize, n: i32, shift: f64): f64 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const m = f32x4.splat(<f32>shift);
    let acc = f32x4.splat(0);
    for (let j = 0; j < n; j += 4) acc = f32x4.add(acc, expNegative(f32x4.sub(loadPadded(row + (<usize>j << 2), n - j), m)));
    return <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
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

/**
 * grad[j] = (e^(row[j] - logSum) - [j = label])·scale, rounded to f32. The
 * relaxed build takes e^(row[j] - max)/sum instead: logSum rounded to f32
 * would be off by up to half an ulp of the largest logit, and every
 * probability by as much, relatively (about 1e-6 for logits near 30).
 */
function writeGradient(row: usize, grad: usize, n: i32, label: i32, logSum: f64, max: f64, sum: f64, scale: f64): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const m = f32x4.splat(<f32>max);
    const inverse = f32x4.splat(<f32>(1 / sum));
    const k = f32x4.splat(<f32>scale);
    for (let j = 0; j < n; j += 4) {
      const onehot = v128.and(i32x4.eq(i32x4.add(i32x4.splat(j), i32x4(0, 1, 2, 3)), i32x4.splat(label)), f32x4.splat(1));
      const p = f32x4.mul(expNegative(f32x4.sub(loadPadded(row + (<usize>j << 2), n - j), m)), inverse);
      storeLanes(grad + (<usize>j << 2), f32x4.mul(f32x4.sub(p, onehot), k), n - j);
    }
    return;
  }
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

/** The first min(count, 4) values at p, the other lanes -Infinity (their exponentials are 0). */
// @ts-ignore: decorator
@inline function loadPadded(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  return v128.bitselect(loadLanes(p, count), f32x4.splat(-Infinity), i32x4.gt_s(i32x4.splat(count), i32x4(0, 1, 2, 3)));
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
