import { describe, expect, it } from 'vitest';
import { buildNetwork, Dense, mlpSpec, Sigmoid, SoftmaxCrossEntropy, tsKernels, type Batch } from '../../src/index.js';
import { filled, worstRelativeError } from '../helpers/gradcheck.js';

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

  it('Sigmoid: input gradient', () => {
    const layer = new Sigmoid(6, kernels, dtype);
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
});
