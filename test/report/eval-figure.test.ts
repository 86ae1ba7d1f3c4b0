import { describe, expect, it } from 'vitest';
import { confusionCells, evalFigureSpec, formatProbability } from '../../src/report/eval-figure.js';
import { renderSvg } from '../../src/report/render.js';

describe('the evaluation figure', () => {
  it('has one heat-map cell per true and predicted class, with its count', () => {
    const cells = confusionCells([[5, 1], [0, 3]]);
    expect(cells.map(({ actual, predicted, count }) => [actual, predicted, count])).toEqual([['0', '0', 5], ['0', '1', 1], ['1', '0', 0], ['1', '1', 3]]);
    // White text where the cell is past half the (symmetric-log) colour scale: log1p(3) > 0.55 log1p(5), log1p(1) is not.
    expect(cells.map((c) => c.dark)).toEqual([true, false, false, true]);
  });

  it('shows probabilities with three decimals, more while they would read 1.000', () => {
    expect(formatProbability(0.98765)).toBe('0.988');
    expect(formatProbability(0.99987)).toBe('0.9999');
    expect(formatProbability(0.9999996)).toBe('1.000000');
    expect(formatProbability(0.5)).toBe('0.500');
  });

  it('draws the counts, the captions and the images ink dark on white', async () => {
    const input = new Float64Array(9).fill(0);
    input[4] = 1; // a 3x3 image: one bright pixel in the middle
    input[0] = 0.5;
    const mistakes = [
      { index: 12, label: 1, predicted: 0, probability: 0.75, input },
      { index: 3, label: 0, predicted: 1, probability: 0.5, input },
    ];
    const svg = await renderSvg(evalFigureSpec({ subject: 'model on data', count: 9, accuracy: 7 / 9, confusion: [[4, 1], [1, 3]], mistakes, imageShape: [3, 3] }));
    for (const text of ['Confusion matrix', 'predicted class', 'true class', 'The 2 most confident mistakes', 'true 1 → 0', 'p 0.750  #12', 'true 0 → 1', 'p 0.500  #3']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    expect(svg).toContain('accuracy 0.7778');
    for (const count of ['4', '1', '3']) expect(svg).toContain(`>${count}</text>`);
    // Two inked pixels per image (the rest is background): black and mid-grey.
    expect(svg.match(/fill="rgb\(0, 0, 0\)"/g)).toHaveLength(2);
    expect(svg.match(/fill="rgb\(119, 119, 119\)"/g)).toHaveLength(2); // ink 0.5: the grey Vega interpolates halfway from white to black
  });

  it('leaves out the grid when nothing was misclassified', async () => {
    const svg = await renderSvg(evalFigureSpec({ subject: 's', count: 2, accuracy: 1, confusion: [[1, 0], [0, 1]], mistakes: [], imageShape: [3, 3] }));
    expect(svg).toContain('>Confusion matrix</text>');
    expect(svg).not.toContain('most confident mistakes');
  });
});
