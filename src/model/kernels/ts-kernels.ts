import { argmaxRow } from '../../core/argmax.js';
import { Random } from '../../core/random.js';
import { compress, plainAllocator } from '../../core/plain-allocator.js';
import type { ActivationFunction, FloatArray, Kernels } from './kernels.js';
import { sparseMatmul, sparseMatmulTransA } from './ts-sparse.js';
import { ACTIVATION_PAIRS, slopeOf } from './activation-functions.js';
import { applyUpdate } from './ts-updates.js';
import { avgPool, avgPoolBackward, col2im, im2col, maxPool, maxPoolBackward, transposeBlocks } from './ts-conv.js';

/**
 * The reference kernels in plain TypeScript. Products run in i-k-j order so
 * the inner loop walks contiguous rows, and skip zero entries of the left
 * operand: exact (0·x adds nothing) and a large saving on image inputs,
 * which are mostly zeros.
 */
export const tsKernels: Kernels = {
  backend: 'ts',
  simd: 'plain',
  description: 'TypeScript',
  ...plainAllocator,
  allocateBytes: (length) => new Uint8Array(length),
  compress,
  sparseMatmul,
  sparseMatmulTransA,
  close() {},
  matmul(a, b, c, m, k, n) {
    c.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const aRow = i * k;
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[aRow + p]!;
        if (av === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + av * b[bRow + j]!;
      }
    }
  },

  matmulTransA(a, b, c, m, k, n) {
    c.fill(0, 0, m * n);
    for (let p = 0; p < k; p++) {
      const aRow = p * m;
      const bRow = p * n;
      for (let i = 0; i < m; i++) {
        const av = a[aRow + i]!;
        if (av === 0) continue;
        const cRow = i * n;
        for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + av * b[bRow + j]!;
      }
    }
  },

  matmulTransB(a, b, c, m, k, n) {
    for (let i = 0; i < m; i++) {
      const aRow = i * k;
      for (let j = 0; j < n; j++) {
        const bRow = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[aRow + p]! * b[bRow + p]!;
        c[i * n + j] = sum;
      }
    }
  },

  biasActivate(x, bias, y, m, n, f) {
    const length = m * n;
    if (bias !== undefined) {
      for (let i = 0; i < m; i++) {
        const row = i * n;
        for (let j = 0; j < n; j++) y[row + j] = x[row + j]! + bias[j]!;
      }
    } else if (y !== x) {
      y.set(x.subarray(0, length));
    }
    activateInPlace(y, length, f);
  },

  activationBackward(y, dy, dx, m, n, f, dbias) {
    const length = m * n;
    if (f.kind === 'identity') {
      if (dx !== dy) dx.set(dy.subarray(0, length));
    } else {
      const { inputGradient } = ACTIVATION_PAIRS[f.kind];
      const slope = slopeOf(f);
      for (let i = 0; i < length; i++) dx[i] = inputGradient(y[i]!, dy[i]!, slope);
    }
    if (dbias !== undefined) tsKernels.sumRows(dx, dbias, m, n);
  },

  sumRows(a, out, m, n) {
    out.fill(0, 0, n);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + a[row + j]!;
    }
  },

  axpy(alpha, x, y, length) {
    for (let i = 0; i < length; i++) y[i] = y[i]! + alpha * x[i]!;
  },

  multiply(a, b, out, length) {
    for (let i = 0; i < length; i++) out[i] = a[i]! * b[i]!;
  },

  dropout(state, x, mask, y, length, keep) {
    const random = Random.fromWords(state);
    const scale = 1 / keep;
    for (let i = 0; i < length; i++) mask[i] = random.float() < keep ? scale : 0;
    tsKernels.multiply(x, mask, y, length);
  },

  columnMoments(x, mean, variance, m, n) {
    mean.fill(0, 0, n);
    variance.fill(0, 0, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mean[j] = mean[j]! + x[i * n + j]!;
    for (let j = 0; j < n; j++) mean[j] = mean[j]! / m;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const d = x[i * n + j]! - mean[j]!;
        variance[j] = variance[j]! + d * d;
      }
    }
    for (let j = 0; j < n; j++) variance[j] = variance[j]! / m;
  },

  batchNormalize(x, mean, invStd, gamma, beta, xhat, y, m, n) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        const h = (x[k]! - mean[j]!) * invStd[j]!;
        xhat[k] = h;
        y[k] = gamma[j]! * h + beta[j]!;
      }
    }
  },

  batchNormBackward(dy, xhat, gamma, invStd, dgamma, dbeta, dx, m, n) {
    dgamma.fill(0, 0, n);
    dbeta.fill(0, 0, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        dbeta[j] = dbeta[j]! + dy[k]!;
        dgamma[j] = dgamma[j]! + dy[k]! * xhat[k]!;
      }
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        dx[k] = ((gamma[j]! * invStd[j]!) / m) * (m * dy[k]! - dbeta[j]! - xhat[k]! * dgamma[j]!);
      }
    }
  },

  softmaxCrossEntropy(logits, labels, m, n, grad, gradScale = 1) {
    let total = 0;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      const label = labels[i]!;
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, logits[row + j]!);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(logits[row + j]! - max);
      const logSum = max + Math.log(sum);
      total += label >= 0 && label < n ? logSum - logits[row + label]! : NaN;
      if (grad !== undefined) writeSoftmaxGrad(logits, grad, row, n, label, logSum, gradScale);
    }
    return total;
  },

  countCorrect(scores, labels, m, n) {
    let correct = 0;
    for (let i = 0; i < m; i++) if (argmaxRow(scores, i * n, n) === labels[i]) correct++;
    return correct;
  },

  countNonFinite(x, length) {
    let count = 0;
    for (let i = 0; i < length; i++) if (!Number.isFinite(x[i]!)) count++;
    return count;
  },

  update: applyUpdate,
  im2col,
  col2im,
  transposeBlocks,
  maxPool,
  maxPoolBackward,
  avgPool,
  avgPoolBackward,
};

/** y = f(y) in place for the first `length` values. */
function activateInPlace(y: FloatArray, length: number, f: ActivationFunction): void {
  if (f.kind === 'identity') return;
  const { value } = ACTIVATION_PAIRS[f.kind];
  const slope = slopeOf(f);
  for (let i = 0; i < length; i++) y[i] = value(y[i]!, slope);
}

function writeSoftmaxGrad(
  logits: FloatArray,
  grad: FloatArray,
  row: number,
  n: number,
  label: number,
  logSum: number,
  scale: number,
): void {
  for (let j = 0; j < n; j++) {
    const p = Math.exp(logits[row + j]! - logSum);
    grad[row + j] = (j === label ? p - 1 : p) * scale;
  }
}
