import { describe, expect, it } from 'vitest';
import { Parameter, Sgd } from '../../src/index.js';

describe('Sgd', () => {
  it('moves each parameter against its gradient by lr and counts steps', () => {
    // p = [1, -2], g = [0.5, -4], lr = 0.25:
    //   p - lr·g = [1 - 0.125, -2 + 1] = [0.875, -1]; a second step: [0.75, 0]
    const p = new Parameter('w', [2], 'float64');
    p.value.set([1, -2]);
    p.grad.set([0.5, -4]);
    const sgd = new Sgd(0.25);
    sgd.update([p]);
    expect(Array.from(p.value)).toEqual([0.875, -1]);
    expect(sgd.steps).toBe(1);
    sgd.update([p]);
    expect(Array.from(p.value)).toEqual([0.75, 0]);
    expect(sgd.steps).toBe(2);
  });

  it('rejects a learning rate that is not positive', () => {
    expect(() => new Sgd(0)).toThrow(/lr/);
    expect(() => new Sgd(-1)).toThrow(/lr/);
    expect(() => new Sgd(Number.NaN)).toThrow(/lr/);
  });
});
