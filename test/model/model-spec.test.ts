import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  checkModelSpec,
  checkNetworkGradients,
  DEFAULT_BATCH_NORM,
  mlpSpec,
  placeLayers,
  Random,
  type ModelSpec,
} from '../../src/index.js';
import { modelTensorShapes, randomGeneratorCount } from '../../src/model/model-size.js';

describe('a model spec: a list of shaped layers', () => {
  it('mlpSpec builds the lesson as dense, sigmoid, dense, each with its shapes, name and tensors', () => {
    const spec = mlpSpec(784, [50], 10);
    expect(spec).toEqual({ input: [784], layers: [{ type: 'dense', units: 50 }, { type: 'activation', function: 'sigmoid' }, { type: 'dense', units: 10 }] });
    const placed = placeLayers(spec);
    expect(placed.map((l) => [l.title, l.input, l.output, l.name])).toEqual([
      ['layer 1 (dense:50)', [784], [50], 'dense.0'],
      ['layer 2 (sigmoid)', [50], [50], undefined],
      ['layer 3 (dense:10)', [50], [10], 'dense.1'],
    ]);
    expect(placed[0]!.tensors).toEqual([
      { name: 'dense.0.weight', shape: [784, 50], parameter: true },
      { name: 'dense.0.bias', shape: [50], parameter: true },
    ]);
  });

  it('puts batch norm between dense and activation and dropout after it; batch norm is named after the layer it follows', () => {
    const spec = mlpSpec(12, [8], 3, { activation: 'leaky-relu', batchNorm: DEFAULT_BATCH_NORM, dropout: 0.2 });
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'batch-norm', 'activation', 'dropout', 'dense']);
    expect(spec.layers[2]).toEqual({ type: 'activation', function: 'leaky-relu', slope: 0.01 });
    expect(modelTensorShapes(spec).map((t) => t.name)).toEqual([
      'dense.0.weight', 'dense.0.bias', 'dense.0.bn.gamma', 'dense.0.bn.beta', 'dense.1.weight', 'dense.1.bias', 'dense.0.bn.running_mean', 'dense.0.bn.running_var',
    ]);
    const first: ModelSpec = { input: [4], layers: [{ type: 'batch-norm', ...DEFAULT_BATCH_NORM }, { type: 'dense', units: 3 }] };
    expect(modelTensorShapes(first).map((t) => t.name)).toEqual(['batch_norm.0.gamma', 'batch_norm.0.beta', 'dense.0.weight', 'dense.0.bias', 'batch_norm.0.running_mean', 'batch_norm.0.running_var']);
  });

  it('refuses a spec with an error that names the layer and what does not fit', () => {
    const check = (layers: unknown[], input: readonly number[] = [784]) => () => checkModelSpec({ input, layers } as unknown as ModelSpec);
    expect(check([{ type: 'dense', units: 10 }, { type: 'dense', units: 0 }])).toThrow(/^layer 2 \(dense:0\): units: too small: expected number to be >0$/);
    expect(check([{ type: 'dense', units: 10 }], [1, 28, 28])).toThrow(/^layer 1 \(dense:10\): needs a vector of values, got a \[1, 28, 28\] input$/);
    expect(check([{ type: 'lstm' }, { type: 'dense', units: 10 }])).toThrow(/^layer 1: unknown type "lstm" \(known: dense, activation, batch-norm, dropout, flatten, conv2d, max-pool, avg-pool\)$/);
    expect(check([{ type: 'dense', units: 10 }, { type: 'activation', function: 'swish' }])).toThrow(/^layer 2 \(swish\): function: /);
    expect(check([{ type: 'dense', units: 10 }, { type: 'activation', function: 'tanh', slope: 0.1 }])).toThrow(/^layer 2 \(tanh\): slope: only leaky-relu takes a slope$/);
    expect(check([{ type: 'dense', units: 10 }, { type: 'dropout', rate: 1 }])).toThrow(/^layer 2 \(dropout:1\): rate: /);
    expect(check([{ type: 'dense', units: 10, bias: false }])).toThrow(/^layer 1 \(dense:10\): bias: not a field rxnn writes here$/);
    expect(check([{ type: 'dense', units: 1 }])).toThrow(/^classes: need at least 2 classes$/);
    expect(check([])).toThrow(/^layers: a model needs at least its output layer$/);
    expect(check([{ type: 'dense', units: 3 }], [0])).toThrow(/^input: must be a shape of positive integers/);
  });

  it('builds a network of any order of layers (from a [2, 3] input, flattened), whose gradients check out (float64)', () => {
    const spec: ModelSpec = {
      input: [2, 3],
      layers: [
        { type: 'activation', function: 'tanh' },
        { type: 'flatten' },
        { type: 'dense', units: 5 },
        { type: 'dropout', rate: 0.3 },
        { type: 'batch-norm', ...DEFAULT_BATCH_NORM },
        { type: 'dense', units: 4 },
        { type: 'activation', function: 'sigmoid' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', units: 3 },
      ],
    };
    const network = buildNetwork(spec, { init: { kind: 'normal', std: 0.5 }, seed: 3, dtype: 'float64' });
    expect(network.randomState()).toHaveLength(randomGeneratorCount(spec));
    expect(randomGeneratorCount(spec)).toBe(2);
    const random = Random.derive(7, 1);
    const rows = 5;
    const x = Float64Array.from({ length: rows * 6 }, () => random.float() * 2 - 1);
    const labels = Int32Array.from({ length: rows }, () => random.int(3));
    const batch = { rows, cols: 6, sampleShape: [2, 3], x, labels, indices: Int32Array.from(labels.keys()) };
    const checks = checkNetworkGradients(network, batch);
    expect(checks.map((c) => c.name)).toEqual(['dense.0.weight', 'dense.0.bias', 'dense.0.bn.gamma', 'dense.0.bn.beta', 'dense.1.weight', 'dense.1.bias', 'dense.2.weight', 'dense.2.bias']);
    for (const check of checks) expect(check.worst, check.name).toBeLessThan(1e-6);
  });
});
