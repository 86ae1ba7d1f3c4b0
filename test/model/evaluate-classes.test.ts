import { describe, expect, it } from 'vitest';
import { from, lastValueFrom } from 'rxjs';
import { argmaxRows, buildNetwork, EpochEnd, evaluate, evaluateClasses, mlpSpec, tsKernels, type Batch, type Kernels } from '../../src/index.js';
import { filled } from '../helpers/gradcheck.js';

/** `rows` rows of four values, labels cycling through the three classes from `first`. */
function batch(seed: number, rows: number, first = 0): Batch {
  const labels = Int32Array.from({ length: rows }, (_, i) => (first + i) % 3);
  return { rows, cols: 4, sampleShape: [4], x: filled(new Float64Array(rows * 4), seed), labels, indices: labels.map((_, i) => i) };
}

describe('evaluateClasses', () => {
  it('scores as evaluate does, tallies the confusion matrix, and runs one forward pass per batch', async () => {
    let products = 0;
    const kernels: Kernels = { ...tsKernels, matmul: (...args) => (products++, tsKernels.matmul(...args)) };
    const network = buildNetwork(mlpSpec(4, [3], 3), { initStd: 0.8, seed: 5, dtype: 'float64', kernels });
    const batches = [batch(3, 4), batch(7, 5, 1)];
    const plain = await lastValueFrom(evaluate(network, from(batches)));
    products = 0;
    const metrics = await lastValueFrom(evaluateClasses(network, from([batches[0]!, new EpochEnd(1), batches[1]!])));
    expect(products).toBe(2 * batches.length);

    expect(metrics).toMatchObject({ count: 9, loss: plain.loss, accuracy: plain.accuracy });
    const confusion = [0, 1, 2].map(() => [0, 0, 0]);
    for (const b of batches) {
      const predicted = argmaxRows(network.logits(b.x, b.rows), b.rows, 3);
      b.labels.forEach((label, r) => confusion[label]![predicted[r]!]!++);
    }
    expect(metrics.confusion).toEqual(confusion);
    expect(metrics.confusion.flat().reduce((a, b) => a + b)).toBe(9);
    expect(metrics.classAccuracy).toEqual(confusion.map((row, c) => row[c]! / row.reduce((a, b) => a + b)));
  });
});
