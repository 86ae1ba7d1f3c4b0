import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  checkModelSize,
  createOptimizer,
  DEFAULT_BATCH_NORM,
  mlpSpec,
  OPTIMIZER_SLOTS,
  OPTIMIZERS,
} from '../../src/index.js';
import { modelTensorShapes, randomGeneratorCount } from '../../src/model/model-size.js';

describe('what a network holds, known from its spec alone', () => {
  const specs = [
    mlpSpec(784, [50], 10),
    mlpSpec(12, [8, 6], 3, { activation: 'relu', batchNorm: DEFAULT_BATCH_NORM, dropout: 0.2 }),
    mlpSpec(5, [], 2),
  ];
  it('modelTensorShapes and randomGeneratorCount agree with the network buildNetwork makes', () => {
    for (const spec of specs) {
      const network = buildNetwork(spec, { seed: 1 });
      const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
      const shapes = (list: readonly { name: string; shape: readonly number[] }[]) => list.map(({ name, shape }) => ({ name, shape })).sort(byName);
      expect(shapes(modelTensorShapes(spec))).toEqual(shapes(network.tensors));
      expect(modelTensorShapes(spec).filter((t) => t.parameter).map((t) => t.name)).toEqual(network.parameters.map((p) => p.name));
      expect(randomGeneratorCount(spec)).toBe(network.randomState().length);
    }
  });

  it('OPTIMIZER_SLOTS names the slots each optimizer keeps once it has stepped', () => {
    const spec = specs[1]!;
    for (const name of OPTIMIZERS) {
      const network = buildNetwork(spec, { seed: 1 });
      const optimizer = createOptimizer({ name, lr: 0.01 });
      for (const p of network.parameters) p.grad.fill(0.5);
      optimizer.update(network.parameters);
      const expected = network.parameters.flatMap((p) => OPTIMIZER_SLOTS[name].map((slot) => `${p.name}.${slot}`));
      expect(optimizer.state().slots.map(([key]) => key).sort()).toEqual(expected.sort());
    }
  });

  it('checkModelSize refuses a network or batch too large before anything is allocated, naming what makes it so', () => {
    expect(() => checkModelSize(mlpSpec(784, [50], 10), 1000)).not.toThrow();
    expect(() => checkModelSize(mlpSpec(784, [50], 2 ** 24), 100)).toThrow(/^classes: a 784-50-16777216 network has \d+ values, more than the 134217728/);
    expect(() => checkModelSize(mlpSpec(784, [200_000], 10), 100)).toThrow(/^hidden: a 784-200000-10 network/);
    expect(() => checkModelSize(mlpSpec(784, [50], 10), 1_000_000)).toThrow(/^batchSize: 1000000 rows of up to 784 values/);
  });
});
