import { describe, expect, it } from 'vitest';
import {
  AvgPool2d, BatchNorm, buildNetwork, checkNetworkGradients, Conv2d, MaxPool2d, poolGeometry, tsKernels, windowGeometry,
  type Batch, type ModelSpec,
} from '../../src/index.js';
import { dot, filled, worstRelativeError, layerGradientErrors } from '../helpers/gradcheck.js';

// As test/model/gradcheck.test.ts: float64, central differences with h = 1e-5, bound 1e-6.
const BOUND = 1e-6;
const dtype = 'float64' as const;
const kernels = tsKernels;

describe('gradient checks of the window layers (float64)', () => {
  const convCases: [string, number, number, number, number][] = [
    // label, input channels, kernel, stride, padding
    ['3x3, stride 1, no padding', 2, 3, 1, 0],
    ['3x3, stride 2, padding 1', 2, 3, 2, 1],
    ['2x2, stride 3, padding 2 (windows partly in the padding, pixels no window sees)', 3, 2, 3, 2],
  ];
  for (const [label, channels, size, stride, padding] of convCases) {
    it(`Conv2d ${label}: weight, bias and input gradients`, () => {
      const rows = 3;
      const g = windowGeometry([channels, 7, 6], size, stride, padding, 'kernel');
      const layer = new Conv2d(g, 4, { name: 'conv2d.0', kernels, dtype, inputGradient: true });
      filled(layer.weight.value, 1);
      filled(layer.bias.value, 2);
      const x = filled(new Float64Array(rows * channels * 7 * 6), 3);
      const r = filled(new Float64Array(rows * 4 * g.outHeight * g.outWidth), 4);
      for (const error of layerGradientErrors(layer, x as Float64Array, r as Float64Array, rows)) expect(error).toBeLessThan(BOUND);
    });
  }

  it('Conv2d computes the cross-correlation PyTorch computes, weights [out, in, kh, kw]', () => {
    // one 3x3 image 1..9, one 2x2 filter [[1, 0], [0, -1]] with bias 0.5, padding 1: y = x[i][j] - x[i+1][j+1] on the padded image
    const g = windowGeometry([1, 3, 3], 2, 1, 1, 'kernel');
    const layer = new Conv2d(g, 1, { name: 'c', kernels, dtype, inputGradient: false });
    layer.weight.value.set([1, 0, 0, -1]);
    layer.bias.value[0] = 0.5;
    const y = Array.from(layer.forward(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 1));
    const padded = (i: number, j: number): number => (i >= 1 && i <= 3 && j >= 1 && j <= 3 ? (i - 1) * 3 + j : 0);
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expected.push(padded(i, j) - padded(i + 1, j + 1) + 0.5);
    expect(y).toEqual(expected);
  });

  for (const [label, size, stride] of [['2x2 windows', 2, 2], ['overlapping 3x3 windows every 2 pixels', 3, 2]] as const) {
    it(`MaxPool2d, ${label}: input gradient`, () => {
      const rows = 2;
      const g = poolGeometry([3, 7, 7].map((n, i) => (i > 0 && size === 2 ? 8 : n)), size, stride);
      const layer = new MaxPool2d(g, kernels, dtype);
      // distinct values, so no window has a tie that a step of h could flip
      const x = filled(new Float64Array(rows * 3 * g.height * g.width), 5, 10);
      const r = filled(new Float64Array(rows * 3 * g.outHeight * g.outWidth), 6);
      const loss = (): number => dot(layer.forward(x, rows), r);
      loss();
      const dx = Float64Array.from(layer.backward(r, rows));
      expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
    });

    it(`AvgPool2d, ${label}: input gradient`, () => {
      const rows = 2;
      const g = poolGeometry([3, 7, 7].map((n, i) => (i > 0 && size === 2 ? 8 : n)), size, stride);
      const layer = new AvgPool2d(g, kernels, dtype);
      const x = filled(new Float64Array(rows * 3 * g.height * g.width), 7, 3);
      const r = filled(new Float64Array(rows * 3 * g.outHeight * g.outWidth), 8);
      const loss = (): number => dot(layer.forward(x, rows), r);
      loss();
      const dx = Float64Array.from(layer.backward(r, rows));
      expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
    });
  }

  it('MaxPool2d keeps the largest of each window and AvgPool2d its mean', () => {
    const g = poolGeometry([1, 2, 4], 2, 2);
    const x = Float64Array.from([1, 5, 2, -1, 3, 0, 8, 4]);
    expect(Array.from(new MaxPool2d(g, kernels, dtype).forward(x, 1))).toEqual([5, 8]);
    expect(Array.from(new AvgPool2d(g, kernels, dtype).forward(x, 1))).toEqual([9 / 4, 13 / 4]);
  });

  it('BatchNorm on feature maps: per channel over the batch and every position; input, gamma and beta gradients', () => {
    const rows = 3;
    const layer = new BatchNorm(2, { name: 'bn', momentum: 0.9, eps: 1e-5, kernels, dtype, positions: 6 });
    filled(layer.gamma.value, 9, 2);
    filled(layer.beta.value, 10);
    const x = filled(new Float64Array(rows * 2 * 6), 11, 3);
    const r = filled(new Float64Array(rows * 2 * 6), 12);
    const loss = (): number => dot(layer.forward(x, rows, 'train'), r);
    const y = Float64Array.from(layer.forward(x, rows, 'train'));
    // each channel's 18 values come out with mean 0 and variance 1 (gamma, beta aside)
    for (let c = 0; c < 2; c++) {
      const values: number[] = [];
      for (let n = 0; n < rows; n++) for (let p = 0; p < 6; p++) values.push((y[(n * 2 + c) * 6 + p]! - layer.beta.value[c]!) / layer.gamma.value[c]!);
      const mean = values.reduce((a, b) => a + b) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 4);
    }
    const dx = Float64Array.from(layer.backward(r, rows));
    const dGamma = Float64Array.from(layer.gamma.grad);
    const dBeta = Float64Array.from(layer.beta.grad);
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(layer.gamma.value, dGamma, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(layer.beta.value, dBeta, loss)).toBeLessThan(BOUND);
  });

  const networks: [string, ModelSpec][] = [
    [
      'conv, batch norm, ReLU, max pool, conv with stride and padding, tanh, avg pool, dropout, dense',
      {
        input: [2, 8, 8],
        layers: [
          { type: 'conv2d', channels: 3, kernel: 3, padding: 1 },
          { type: 'batch-norm', momentum: 0.9, eps: 1e-5 },
          { type: 'activation', function: 'relu' },
          { type: 'max-pool', size: 2 },
          { type: 'conv2d', channels: 4, kernel: 3, stride: 2, padding: 1 },
          { type: 'activation', function: 'tanh' },
          { type: 'avg-pool', size: 2 },
          { type: 'flatten' },
          { type: 'dropout', rate: 0.25 },
          { type: 'dense', units: 3 },
        ],
      },
    ],
  ];
  for (const [label, spec] of networks) {
    it(`a whole conv network (${label}): every parameter`, () => {
      const network = buildNetwork(spec, { init: { kind: 'he' }, seed: 3, dtype, weightDecay: 0.01 });
      const rows = 4;
      const cols = 2 * 8 * 8;
      const batch: Batch = {
        rows,
        cols,
        sampleShape: [2, 8, 8],
        x: filled(new Float64Array(rows * cols), 13),
        labels: Int32Array.from([0, 2, 1, 2]),
        indices: Int32Array.from([0, 1, 2, 3]),
      };
      const checks = checkNetworkGradients(network, batch);
      expect(checks.map((c) => c.name)).toContain('conv2d.1.weight');
      for (const check of checks) expect(check.worst, check.name).toBeLessThan(BOUND);
    });
  }
});
