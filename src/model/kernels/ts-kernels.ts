import { allocate } from '../dtype.js';
import type { FloatArray, Kernels } from './kernels.js';
import { compress, sparseMatmul, sparseMatmulTransA, TsSparseMatrix } from './ts-sparse.js';

/**
 * The reference kernels in plain TypeScript. Products run in i-k-j order so
 * the inner loop walks contiguous rows, and skip zero entries of the left
 * operand: exact (0·x adds nothing) and a large saving on image inputs,
 * which are mostly zeros.
 */
export const tsKernels: Kernels = {
  backend: 'ts',
  description: 'TypeScript',
  allocate,
  sparseMatrix: () => new TsSparseMatrix(),
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

  addBias(c, bias, m, n) {
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) c[row + j] = c[row + j]! + bias[j]!;
    }
  },

  sumRows(a, out, m, n) {
    out.fill(0, 0, n);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + a[row + j]!;
    }
  },

  bytesToFloats(bytes, x, at, scale, offset) {
    for (let i = 0; i < bytes.length; i++) x[at + i] = bytes[i]! * scale + offset;
  },

  axpy(alpha, x, y, length) {
    for (let i = 0; i < length; i++) y[i] = y[i]! + alpha * x[i]!;
  },

  sigmoid(x, y, length) {
    for (let i = 0; i < length; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
  },

  sigmoidBackward(y, dy, dx, length) {
    for (let i = 0; i < length; i++) {
      const yi = y[i]!;
      dx[i] = dy[i]! * yi * (1 - yi);
    }
  },

  tanh(x, y, length) {
    for (let i = 0; i < length; i++) y[i] = Math.tanh(x[i]!);
  },

  tanhBackward(y, dy, dx, length) {
    for (let i = 0; i < length; i++) {
      const yi = y[i]!;
      dx[i] = dy[i]! * (1 - yi * yi);
    }
  },

  leakyRelu(x, y, length, slope) {
    for (let i = 0; i < length; i++) {
      const xi = x[i]!;
      y[i] = xi > 0 ? xi : slope * xi;
    }
  },

  leakyReluBackward(x, dy, dx, length, slope) {
    for (let i = 0; i < length; i++) dx[i] = x[i]! > 0 ? dy[i]! : slope * dy[i]!;
  },

  multiply(a, b, out, length) {
    for (let i = 0; i < length; i++) out[i] = a[i]! * b[i]!;
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
      total += logSum - logits[row + label]!;
      if (grad !== undefined) writeSoftmaxGrad(logits, grad, row, n, label, logSum, gradScale);
    }
    return total;
  },

  countCorrect(scores, labels, m, n) {
    let correct = 0;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      let best = 0;
      for (let j = 1; j < n; j++) if (scores[row + j]! > scores[row + best]!) best = j;
      if (best === labels[i]) correct++;
    }
    return correct;
  },
};

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
