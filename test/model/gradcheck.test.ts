import { describe, expect, it } from 'vitest';
import {
  ActivationLayer, BatchNorm, buildNetwork, checkNetworkGradients, Dense, Dropout, mlpSpec, Random, SoftmaxCrossEntropy,
  tsKernels, type ActivationFunction, type Batch, type HiddenActivation,
} from '../../src/index.js';
import { filled, worstRelativeError, layerGradientErrors } from '../helpers/gradcheck.js';

// Every check runs in float64 with central differences; h = 1e-5 is near
// the optimum eps^(1/3) that balances truncation (h²) against rounding
// (eps/h). 1e-6 is then a strict bound (the bar is 1e-4). The
// float32 training path runs the same layer and kernel code.
const BOUND = 1e-6;
const dtype = 'float64' as const;
const kernels = tsKernels;

/** L = Σ r ⊙ y: its gradient with respect to y is r. */
function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += y[i]! * r[i]!;
  return s;
}

describe('gradient checks (float64)', () => {
  it('Dense: weight, bias and input gradients', () => {
    const rows = 4;
    const layer = new Dense(7, 5, { name: 'dense.0', kernels, dtype, inputGradient: true });
    filled(layer.weight.value, 1);
    filled(layer.bias.value, 2);
    const x = filled(new Float64Array(rows * 7), 3);
    const r = filled(new Float64Array(rows * 5), 4);
    const loss = (): number => dot(layer.forward(x, rows), r);
    loss();
    const dx = Float64Array.from(layer.backward(r, rows)!);
    const dW = Float64Array.from(layer.weight.grad);
    const db = Float64Array.from(layer.bias.grad);
    expect(worstRelativeError(layer.weight.value, dW, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(layer.bias.value, db, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
  });

  const fused: ActivationFunction[] = [{ kind: 'sigmoid' }, { kind: 'tanh' }, { kind: 'leaky-relu', slope: 0.1 }];
  for (const activation of fused) {
    it(`Dense with ${activation.kind} in its bias pass: weight, bias and input gradients`, () => {
      const rows = 3;
      const layer = new Dense(6, 5, { name: 'dense.0', kernels, dtype, inputGradient: true, activation });
      filled(layer.weight.value, 21, 0.6);
      filled(layer.bias.value, 22);
      // inputs chosen so no pre-activation lies within 0.01 of the leaky ReLU's kink
      const x = filled(new Float64Array(rows * 6), 23);
      const r = filled(new Float64Array(rows * 5), 24);
      for (const error of layerGradientErrors(layer, x as Float64Array, r as Float64Array, rows)) expect(error).toBeLessThan(BOUND);
    });
  }

  it('Dense without an input gradient still fills its parameter gradients', () => {
    const layer = new Dense(3, 2, { name: 'dense.0', kernels, dtype, inputGradient: false });
    filled(layer.weight.value, 5);
    const x = filled(new Float64Array(6), 6);
    const r = filled(new Float64Array(4), 7);
    const loss = (): number => dot(layer.forward(x, 2), r);
    loss();
    expect(layer.backward(r, 2)).toBeUndefined();
    const dW = Float64Array.from(layer.weight.grad);
    expect(worstRelativeError(layer.weight.value, dW, loss)).toBeLessThan(BOUND);
  });

  it('sigmoid: input gradient', () => {
    const layer = new ActivationLayer(6, { kind: 'sigmoid' }, kernels, dtype);
    const x = filled(new Float64Array(18), 8, 3);
    const r = filled(new Float64Array(18), 9);
    const loss = (): number => dot(layer.forward(x, 3), r);
    loss();
    const dx = Float64Array.from(layer.backward(r, 3));
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
  });

  it('softmax with cross-entropy: gradient of the mean loss with respect to the logits', () => {
    const rows = 5;
    const loss = new SoftmaxCrossEntropy(4, kernels, dtype);
    const logits = filled(new Float64Array(rows * 4), 10, 4);
    const labels = Int32Array.from([0, 3, 1, 2, 3]);
    const { grad } = loss.forwardBackward(logits, labels, rows);
    const analytic = Float64Array.from(grad);
    expect(worstRelativeError(logits, analytic, () => loss.forwardBackward(logits, labels, rows).loss)).toBeLessThan(BOUND);
  });

  it('the whole network: every parameter of a 6-5-4-3 sigmoid MLP', () => {
    const network = buildNetwork(mlpSpec(6, [5, 4], 3), { initStd: 0.5, seed: 1, dtype });
    for (const p of network.parameters) filled(p.value, p.name.length * 7 + p.size, 0.8);
    const batch: Batch = {
      rows: 4,
      cols: 6,
      sampleShape: [6],
      x: filled(new Float64Array(24), 11),
      labels: Int32Array.from([0, 2, 1, 2]),
      indices: Int32Array.from([0, 1, 2, 3]),
    };
    network.computeGradients(batch);
    const analytic = network.parameters.map((p) => Float64Array.from(p.grad));
    network.parameters.forEach((p, i) => {
      const error = worstRelativeError(p.value, analytic[i]!, () => network.computeGradients(batch));
      expect(error, p.name).toBeLessThan(BOUND);
    });
  });

  it('tanh: input gradient', () => {
    const layer = new ActivationLayer(6, { kind: 'tanh' }, kernels, dtype);
    const x = filled(new Float64Array(18), 12, 3);
    const r = filled(new Float64Array(18), 13);
    const loss = (): number => dot(layer.forward(x, 3), r);
    loss();
    const dx = Float64Array.from(layer.backward(r, 3));
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
  });

  for (const slope of [0, 0.01, 0.2]) {
    it(`leaky ReLU (slope ${slope}): input gradient away from the kink`, () => {
      const layer = new ActivationLayer(6, { kind: 'leaky-relu', slope }, kernels, dtype);
      // keep every input at least 0.01 from 0, where the function is not differentiable
      const x = filled(new Float64Array(18), 14, 3).map((v) => (v >= 0 ? v + 0.01 : v - 0.01));
      const r = filled(new Float64Array(18), 15);
      const loss = (): number => dot(layer.forward(x, 3), r);
      loss();
      const dx = Float64Array.from(layer.backward(r, 3));
      expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
      expect(dx.some((v) => v === 0)).toBe(slope === 0 && x.some((v) => v < 0));
    });
  }

  it('Dropout: input gradient with the mask held fixed; the identity in evaluation', () => {
    const layer = new Dropout(8, 0.4, Random.derive(3, 5), kernels, dtype);
    const x = filled(new Float64Array(32), 16);
    const r = filled(new Float64Array(32), 17);
    const state = layer.random.state();
    const loss = (): number => {
      layer.random.setState(state);
      return dot(layer.forward(x, 4, 'train'), r);
    };
    const y = Float64Array.from(layer.forward(x, 4, 'train'));
    const dropped = y.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(28);
    y.forEach((v, i) => expect(v === 0 || Math.abs(v - x[i]! / 0.6) < 1e-12).toBe(true));
    loss();
    const dx = Float64Array.from(layer.backward(r, 4));
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
    expect(layer.forward(x, 4, 'eval')).toBe(x);
  });

  it('BatchNorm: input, gamma and beta gradients in training mode', () => {
    const rows = 5;
    const layer = new BatchNorm(4, { name: 'bn', momentum: 0.9, eps: 1e-5, kernels, dtype });
    filled(layer.gamma.value, 18, 2);
    filled(layer.beta.value, 19);
    const x = filled(new Float64Array(rows * 4), 20, 3);
    const r = filled(new Float64Array(rows * 4), 21);
    const loss = (): number => dot(layer.forward(x, rows, 'train'), r);
    loss();
    const dx = Float64Array.from(layer.backward(r, rows));
    const dGamma = Float64Array.from(layer.gamma.grad);
    const dBeta = Float64Array.from(layer.beta.grad);
    expect(worstRelativeError(x, dx, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(layer.gamma.value, dGamma, loss)).toBeLessThan(BOUND);
    expect(worstRelativeError(layer.beta.value, dBeta, loss)).toBeLessThan(BOUND);
  });

  it('BatchNorm: normalises by the batch in training and by the running statistics in evaluation', () => {
    const layer = new BatchNorm(2, { name: 'bn', momentum: 0.5, eps: 0, kernels, dtype });
    const x = Float64Array.from([1, 10, 3, 30]); // column means 2 and 20, variances 1 and 100
    expect(Array.from(layer.forward(x, 2, 'train'))).toEqual([-1, -1, 1, 1]);
    expect(Array.from(layer.runningMean.value)).toEqual([1, 10]); // 0.5 · 0 + 0.5 · mean
    expect(Array.from(layer.runningVar.value)).toEqual([1, 50.5]); // 0.5 · 1 + 0.5 · var
    expect(Array.from(layer.forward(Float64Array.from([2, 10.5]), 1, 'eval'))).toEqual([1, 0.5 / Math.sqrt(50.5)]);
  });

  const variants: [string, HiddenActivation, { batchNorm?: boolean; dropout?: number }, number][] = [
    ['tanh', 'tanh', {}, 0],
    ['ReLU with batch norm', 'relu', { batchNorm: true }, 0],
    ['leaky ReLU with dropout and weight decay', 'leaky-relu', { dropout: 0.3 }, 0.05],
    ['sigmoid with batch norm, dropout and weight decay', 'sigmoid', { batchNorm: true, dropout: 0.2 }, 0.1],
  ];
  for (const [label, activation, extra, weightDecay] of variants) {
    it(`the whole network, ${label}: every parameter`, () => {
      const spec = mlpSpec(6, [5, 4], 3, {
        activation,
        dropout: extra.dropout,
        ...(extra.batchNorm === true ? { batchNorm: { momentum: 0.9, eps: 1e-5 } } : {}),
      });
      const network = buildNetwork(spec, { init: { kind: 'he' }, seed: 2, dtype, weightDecay });
      const batch: Batch = {
        rows: 6,
        cols: 6,
        sampleShape: [6],
        x: filled(new Float64Array(36), 22),
        labels: Int32Array.from([0, 2, 1, 2, 0, 1]),
        indices: Int32Array.from([0, 1, 2, 3, 4, 5]),
      };
      for (const check of checkNetworkGradients(network, batch)) expect(check.worst, check.name).toBeLessThan(BOUND);
    });
  }
});
