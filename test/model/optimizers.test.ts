import { describe, expect, it } from 'vitest';
import { AdaGrad, Adam, createOptimizer, Momentum, OPTIMIZERS, Parameter, RmsProp, SettingError, type Optimizer } from '../../src/index.js';

/** A one-value parameter p = 1 taking two steps with gradients 0.5 and then -1. */
function twoSteps(optimizer: Optimizer): number[] {
  const p = new Parameter('w', [1], 'float64');
  p.value[0] = 1;
  const seen: number[] = [];
  for (const g of [0.5, -1]) {
    p.grad[0] = g;
    optimizer.update([p]);
    seen.push(p.value[0]!);
  }
  return seen;
}

const close = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
};

describe('optimizers (lr 0.1; p = 1; gradients 0.5 then -1)', () => {
  it('momentum 0.9', () => {
    // v1 = 0.9·0 - 0.1·0.5 = -0.05;          p1 = 1 - 0.05 = 0.95
    // v2 = 0.9·(-0.05) - 0.1·(-1) = 0.055;   p2 = 0.95 + 0.055 = 1.005
    close(twoSteps(new Momentum(0.1, 0.9)), [0.95, 1.005]);
  });

  it('nesterov 0.9', () => {
    // v1 = -0.05;   p1 = 1 + 0.9·(-0.05) - 0.1·0.5 = 1 - 0.045 - 0.05 = 0.905
    // v2 = 0.055;   p2 = 0.905 + 0.9·0.055 + 0.1 = 0.905 + 0.0495 + 0.1 = 1.0545
    close(twoSteps(new Momentum(0.1, 0.9, true)), [0.905, 1.0545]);
  });

  it('adagrad (eps 1e-8)', () => {
    // h1 = 0.25;   p1 = 1 - 0.1·0.5/(0.5 + 1e-8)
    // h2 = 1.25;   p2 = p1 + 0.1·1/(√1.25 + 1e-8)
    const p1 = 1 - 0.05 / (0.5 + 1e-8);
    close(twoSteps(new AdaGrad(0.1, 1e-8)), [p1, p1 + 0.1 / (Math.sqrt(1.25) + 1e-8)]);
  });

  it('rmsprop (rho 0.99, eps 1e-8)', () => {
    // h1 = 0.01·0.25 = 0.0025;                  p1 = 1 - 0.1·0.5/(0.05 + 1e-8)        ≈ 0.0000002
    // h2 = 0.99·0.0025 + 0.01·1 = 0.012475;     p2 = p1 + 0.1/(√0.012475 + 1e-8)
    const p1 = 1 - 0.05 / (0.05 + 1e-8);
    close(twoSteps(new RmsProp(0.1, 0.99, 1e-8)), [p1, p1 + 0.1 / (Math.sqrt(0.012475) + 1e-8)]);
  });

  it('rmsprop takes its rho by name, or as beta2 from settings that stored it so', () => {
    const rho = (spec: { rho?: number; beta2?: number }): number => (createOptimizer({ name: 'rmsprop', lr: 0.1, ...spec }) as RmsProp).rho;
    expect([rho({ rho: 0.5 }), rho({ beta2: 0.7 }), rho({ rho: 0.5, beta2: 0.7 }), rho({})]).toEqual([0.5, 0.7, 0.5, 0.99]);
  });

  it('adam (0.9, 0.999, eps 1e-8)', () => {
    // t=1: m = 0.05, v = 0.00025; m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25;  p1 = 1 - 0.1·0.5/(0.5 + 1e-8)
    // t=2: m = 0.9·0.05 - 0.1 = -0.055, v = 0.999·0.00025 + 0.001 = 0.00124975;
    //      m̂ = -0.055/0.19 , v̂ = 0.00124975/0.001999;   p2 = p1 - 0.1·m̂/(√v̂ + 1e-8)
    const p1 = 1 - 0.05 / (0.5 + 1e-8);
    const mHat = -0.055 / (1 - 0.9 ** 2);
    const vHat = 0.00124975 / (1 - 0.999 ** 2);
    close(twoSteps(new Adam(0.1, 0.9, 0.999, 1e-8)), [p1, p1 - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8)]);
  });

  it('keeps slots per parameter name, and counts steps', () => {
    const adam = new Adam(0.01);
    const a = new Parameter('a', [2], 'float32');
    const b = new Parameter('b', [3], 'float32');
    a.grad.fill(1);
    b.grad.fill(-1);
    adam.update([a, b]);
    expect(adam.steps).toBe(1);
    expect(adam.slots.entries().map(([name, values]) => [name, values.length])).toEqual([
      ['a.m', 2], ['a.v', 2], ['b.m', 3], ['b.v', 3],
    ]);
  });

  it('creates each by name, and refuses bad hyperparameters', () => {
    for (const name of OPTIMIZERS) expect(createOptimizer({ name, lr: 0.1 }).learningRate).toBe(0.1);
    expect(() => createOptimizer({ name: 'momentum', lr: 0.1, momentum: 1 })).toThrow(SettingError);
    expect(() => createOptimizer({ name: 'adam', lr: 0.1, beta2: -0.1 })).toThrow(/beta2: must be in \[0, 1\)/);
    expect(() => createOptimizer({ name: 'adam', lr: 0.1, eps: 0 })).toThrow(/eps/);
    expect(() => createOptimizer({ name: 'rmsprop', lr: 0.1, rho: 1 })).toThrow(/rho: must be in \[0, 1\)/);
    expect(() => createOptimizer({ name: 'lbfgs' as 'sgd', lr: 0.1 })).toThrow(/optimizer: must be one of sgd, momentum/);
  });
});

describe('optimizer state', () => {
  for (const name of OPTIMIZERS) {
    it(`${name}: a fresh optimizer given another's state() continues exactly as it would have`, () => {
      const gradients = [0.5, -1, 0.25, 2, -0.75];
      const run = (optimizer: Optimizer, p: Parameter, from: number, to: number): void => {
        for (const g of gradients.slice(from, to)) {
          p.grad[0] = g;
          optimizer.update([p]);
        }
      };
      const original = createOptimizer({ name, lr: 0.1 });
      const p = new Parameter('w', [1], 'float32');
      p.value[0] = 1;
      run(original, p, 0, 2);
      const copy = createOptimizer({ name, lr: 0.1 });
      copy.restore(original.state());
      expect(copy.steps).toBe(2);
      const q = new Parameter('w', [1], 'float32');
      q.value[0] = p.value[0]!;
      run(original, p, 2, 5);
      run(copy, q, 2, 5);
      expect(q.value[0]).toBe(p.value[0]);
      expect(copy.state().slots.map(([k, v]) => [k, Array.from(v)])).toEqual(original.state().slots.map(([k, v]) => [k, Array.from(v)]));
      expect(copy.state().slots.length).toBe(name === 'sgd' ? 0 : name === 'adam' ? 2 : 1);
    });
  }
});
