import { describe, expect, it } from 'vitest';
import { accuracyZoom, quantile } from '../../src/report/y-zoom.js';

describe('the default accuracy zoom', () => {
  it('starts at a round value below the low 10% of the values and ends at 1', () => {
    // The lesson's shape: one low first epoch, then 0.87 up to 0.95.
    const values = [0.76, 0.77, 0.87, 0.88, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.95];
    expect(quantile([...values].sort(), 0.1)).toBeCloseTo(0.77, 10);
    // 0.77 less 5% of (1 - 0.77), to a whole 0.05 (the span is over 0.2): 0.75; nothing is cut off.
    expect(accuracyZoom(values)).toEqual({ from: 0.75, hidden: false });
    // Twenty epochs near the top: 0.98 and 0.99 are told apart, the one early value cut off.
    const late = [0.9, ...Array.from({ length: 19 }, (_, i) => 0.97 + i * 0.001)];
    expect(accuracyZoom(late)).toEqual({ from: 0.96, hidden: true });
    expect(accuracyZoom([1, 1])).toEqual({ from: 0.99, hidden: false });
    expect(accuracyZoom([0, 0.05])).toEqual({ from: 0, hidden: false });
    expect(accuracyZoom([])).toBeUndefined();
  });
});
