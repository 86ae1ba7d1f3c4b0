import { describe, expect, it } from 'vitest';
import { formatLrSchedule, learningRateAt, parseLrSchedule, Plateau, SettingError } from '../../src/index.js';

const context = { stepsPerEpoch: 10, totalSteps: 40, warmup: 0 };

describe('learning-rate schedules (base 0.1, 10 steps an epoch, 40 in all)', () => {
  it('constant: the base rate at every step', () => {
    expect([0, 9, 39].map((s) => learningRateAt(0.1, { kind: 'constant' }, s, context))).toEqual([0.1, 0.1, 0.1]);
  });

  it('step:2:0.5: halved every 2 epochs', () => {
    const schedule = parseLrSchedule('step:2:0.5');
    expect([0, 19, 20, 39].map((s) => learningRateAt(0.1, schedule, s, context))).toEqual([0.1, 0.1, 0.05, 0.05]);
  });

  it('exponential:0.5: halved every epoch', () => {
    const schedule = parseLrSchedule('exponential:0.5');
    expect([0, 10, 25, 39].map((s) => learningRateAt(0.1, schedule, s, context))).toEqual([0.1, 0.05, 0.025, 0.0125]);
  });

  it('cosine: from the base rate to half way at the middle, towards 0 at the end', () => {
    const schedule = parseLrSchedule('cosine');
    expect(learningRateAt(0.1, schedule, 0, context)).toBe(0.1);
    expect(learningRateAt(0.1, schedule, 20, context)).toBeCloseTo(0.05, 15);
    // step 39: 0.05 · (1 + cos(39π/40))
    expect(learningRateAt(0.1, schedule, 39, context)).toBeCloseTo(0.05 * (1 + Math.cos((39 * Math.PI) / 40)), 15);
  });

  it('warmup: rises linearly over the first steps, then follows the schedule', () => {
    const warm = { ...context, warmup: 4 };
    const rates = [0, 1, 2, 3, 4].map((s) => learningRateAt(0.1, { kind: 'constant' }, s, warm));
    [0.025, 0.05, 0.075, 0.1, 0.1].forEach((expected, i) => expect(rates[i]).toBeCloseTo(expected, 15));
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['linear', 'step:0:0.5', 'step:2', 'step:2:1.5', 'exponential:', 'cosine:3', 'exponential:-1']) {
      expect(() => parseLrSchedule(bad), bad).toThrow(SettingError);
    }
  });
});

describe('the plateau schedule', () => {
  it('parses plateau:FACTOR:PATIENCE[:MIN_LR] and writes it back', () => {
    expect(parseLrSchedule('plateau:0.5:3')).toEqual({ kind: 'plateau', factor: 0.5, patience: 3, minLr: 0 });
    expect(formatLrSchedule(parseLrSchedule('plateau:0.1:2:0.001'))).toBe('plateau:0.1:2:0.001');
    for (const bad of ['plateau', 'plateau:0.5', 'plateau:1:2', 'plateau:0.5:0', 'plateau:0.5:1.5', 'plateau:0.5:2:-1', 'plateau:0.5:2:1:1']) {
      expect(() => parseLrSchedule(bad), bad).toThrow(SettingError);
    }
  });

  it('cuts the rate after PATIENCE epochs without a new lowest loss, never below MIN_LR, then counts again', () => {
    const plateau = new Plateau({ kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.3 }, { rate: 1, wait: 0 });
    const rates = [1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.8].map((loss) => (plateau.observe(loss), plateau.rate));
    expect(rates).toEqual([1, 1, 1, 0.5, 0.5, 0.3, 0.3, 0.3]);
    expect(plateau.state()).toEqual({ rate: 0.3, best: 0.8, wait: 0 });
    const context = { stepsPerEpoch: 10, totalSteps: 100, warmup: 0, plateau };
    expect(learningRateAt(1, { kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.3 }, 55, context)).toBe(0.3);
  });
});
