import { describe, expect, it } from 'vitest';
import { parseValidationSize, SettingError, splitValidation, validationCount } from '../../src/index.js';

// 1000 labels: class c has 50 + 10c samples of the first 950, the rest class 0
const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 10);

describe('splitValidation', () => {
  it('holds out exactly N samples, or the FRACTION rounded, each class its share', () => {
    for (const size of [100, 0.1, 37, 0.013]) {
      const split = splitValidation(labels, size, 3);
      const held = [...split.held.keys()].filter((i) => split.held[i] === 1);
      expect(held.length).toBe(validationCount(size, 1000));
      expect(split.validationCount + split.trainCount).toBe(1000);
      const perClass = Array.from({ length: 10 }, (_, c) => held.filter((i) => labels[i] === c).length);
      // every class has 100 samples: its share is within one of size/10
      for (const n of perClass) expect(Math.abs(n - split.validationCount / 10)).toBeLessThan(1);
    }
  });

  it('same seed, same split; another seed, another one', () => {
    expect(splitValidation(labels, 0.1, 3).held).toEqual(splitValidation(labels, 0.1, 3).held);
    expect(splitValidation(labels, 0.1, 4).held).not.toEqual(splitValidation(labels, 0.1, 3).held);
  });

  it('refuses sizes that hold out nothing or everything', () => {
    expect(() => validationCount(0, 10)).toThrow(SettingError);
    expect(() => validationCount(10, 10)).toThrow('leaving none to train on');
    expect(() => validationCount(1.5, 10)).toThrow(SettingError);
    expect(() => validationCount(0.01, 10)).toThrow(SettingError); // rounds to no sample
    expect(parseValidationSize('6000')).toBe(6000);
    expect(parseValidationSize('0.1')).toBe(0.1);
    for (const bad of ['', 'x', '-1', '1.5', '0']) expect(() => parseValidationSize(bad), bad).toThrow(SettingError);
  });
});
