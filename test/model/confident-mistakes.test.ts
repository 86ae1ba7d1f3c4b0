import { from, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { buildNetwork, evaluateClasses, mlpSpec, softmaxRows, argmaxRows, tsKernels, type Batch } from '../../src/index.js';
import { keepConfidentMistakes, type ConfidentMistake } from '../../src/model/confident-mistakes.js';
import { filled } from '../helpers/gradcheck.js';

/** Three classes; `logits` one row of three per sample. Inputs: two values per row, [10r, 10r+1], to see which rows were kept. */
function batch(labels: number[], first: number): Batch {
  const rows = labels.length;
  return {
    rows,
    cols: 2,
    sampleShape: [2],
    x: Float64Array.from({ length: rows * 2 }, (_, i) => 10 * (first + Math.floor(i / 2)) + (i % 2)),
    labels: Int32Array.from(labels),
    indices: Int32Array.from(labels, (_, r) => first + r),
  };
}

const summary = (kept: readonly ConfidentMistake[]): [number, number, number, string, number[]][] =>
  kept.map((m) => [m.index, m.label, m.predicted, m.probability.toFixed(6), [...m.input]]);

describe('keepConfidentMistakes', () => {
  it('keeps the wrong rows, most confident first, ties broken by the lower index, with their inputs', () => {
    // Row logits (three classes) and the softmax probability of the argmax, computed by hand:
    // [ln 8, 0, 0] -> class 0, p = 8/10 = 0.8      [0, ln 3, 0] -> class 1, p = 3/5 = 0.6
    // [0, 0, ln 8] -> class 2, p = 0.8             [ln 2, 0, 0] -> class 0, p = 2/4 = 0.5
    const logits = Float64Array.from([Math.log(8), 0, 0, 0, Math.log(3), 0, 0, 0, Math.log(8), Math.log(2), 0, 0]);
    const b = batch([1, 1, 0, 0], 5); // rows 0 and 2 wrong (both at p 0.8), rows 1 and 3 right
    const predicted = argmaxRows(logits, 4, 3);
    expect([...predicted]).toEqual([0, 1, 2, 0]);
    const kept = keepConfidentMistakes([], b, logits, predicted, 3, 5);
    expect(summary(kept)).toEqual([
      [5, 1, 0, '0.800000', [50, 51]],
      [7, 0, 2, '0.800000', [70, 71]],
    ]);
    // A later batch: a mistake at 0.8 with a higher index goes after the two above; one at 0.5 is cut at limit 3.
    const later = batch([2, 2], 9);
    const laterLogits = Float64Array.from([Math.log(8), 0, 0, Math.log(2), 0, 0]);
    const next = keepConfidentMistakes(kept, later, laterLogits, argmaxRows(laterLogits, 2, 3), 3, 3);
    expect(summary(next).map(([index, , , p]) => [index, p])).toEqual([[5, '0.800000'], [7, '0.800000'], [9, '0.800000']]);
    // With a full list, a less confident mistake is not even copied; a more confident one pushes the last out.
    const sure = batch([1], 11);
    const sureLogits = Float64Array.from([Math.log(98), 0, 0]); // p = 98/100
    expect(summary(keepConfidentMistakes(next, sure, sureLogits, argmaxRows(sureLogits, 1, 3), 3, 3)).map(([i]) => i)).toEqual([11, 5, 7]);
    expect(keepConfidentMistakes(kept, b, logits, predicted, 3, 0)).toEqual([]);
  });
});

describe('evaluateClasses with mistakes', () => {
  it('finds the same mistakes as scoring every row and sorting, in any batching', async () => {
    const network = buildNetwork(mlpSpec(4, [5], 3), { initStd: 0.9, seed: 3, dtype: 'float64', kernels: tsKernels });
    const rows = 40;
    const x = filled(new Float64Array(rows * 4), 11);
    const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7) % 3);
    const slice = (start: number, end: number): Batch => ({
      rows: end - start,
      cols: 4,
      sampleShape: [4],
      x: x.slice(start * 4, end * 4),
      labels: labels.slice(start, end),
      indices: Int32Array.from({ length: end - start }, (_, r) => start + r),
    });
    const logits = network.logits(x, rows);
    const probabilities = softmaxRows(logits, rows, 3);
    const predicted = argmaxRows(logits, rows, 3);
    const expected = [...labels.keys()]
      .filter((r) => predicted[r] !== labels[r])
      .map((r) => ({ index: r, p: probabilities[r * 3 + predicted[r]!]! }))
      .sort((a, b) => b.p - a.p || a.index - b.index)
      .slice(0, 6);
    expect(expected.length).toBeGreaterThan(3);
    for (const cuts of [[0, 40], [0, 7, 19, 40], [0, 1, 2, 3, 30, 40]]) {
      const batches = cuts.slice(1).map((end, i) => slice(cuts[i]!, end));
      const metrics = await lastValueFrom(evaluateClasses(network, from(batches), { mistakes: 6 }));
      expect(metrics.mistakes.map((m) => m.index)).toEqual(expected.map((e) => e.index));
      for (const m of metrics.mistakes) {
        expect(m.probability).toBeCloseTo(expected.find((e) => e.index === m.index)!.p, 12);
        expect([...m.input]).toEqual([...x.subarray(m.index * 4, m.index * 4 + 4)]);
        expect(m.label).toBe(labels[m.index]);
        expect(m.predicted).toBe(predicted[m.index]);
      }
    }
    expect((await lastValueFrom(evaluateClasses(network, from([slice(0, 40)])))).mistakes).toEqual([]);
  });
});
