import { afterAll, describe, expect, it } from 'vitest';
import { filter, lastValueFrom, map, toArray } from 'rxjs';
import {
  Adam, buildNetwork, createWasmKernels, evaluate, loadDataset, minibatch, normalize, repeatEpochs, samples, shuffle, trainSteps, tsKernels,
  type InMemoryDataset, type Kernels, type ModelSpec, type StepResult,
} from '../../src/index.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

/** A small version of the book's SimpleConvNet: conv, batch norm, ReLU, max pooling, a dense layer. */
const SPEC: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    { type: 'conv2d', channels: 6, kernel: 5, padding: 2 },
    { type: 'batch-norm', momentum: 0.9, eps: 1e-5 },
    { type: 'activation', function: 'relu' },
    { type: 'max-pool', size: 2 },
    { type: 'conv2d', channels: 8, kernel: 3, stride: 2, padding: 1 },
    { type: 'activation', function: 'relu' },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 10 },
  ],
};

const wasm1 = createWasmKernels({ threads: 1 });
const wasm2 = createWasmKernels({ threads: 2 });
afterAll(() => {
  wasm1.close();
  wasm2.close();
});

interface Trained {
  readonly losses: number[];
  readonly testAccuracy: number;
  readonly weights: Float32Array;
}

async function train(set: { train: InMemoryDataset; test: InMemoryDataset }, kernels: Kernels, epochs: number): Promise<Trained> {
  const network = buildNetwork(SPEC, { init: { kind: 'he' }, seed: 7, kernels });
  const optimizer = new Adam(0.005, 0.9, 0.999, 1e-8, kernels);
  const steps = await lastValueFrom(
    samples(set.train).pipe(
      repeatEpochs(epochs),
      shuffle({ seed: 7 }),
      minibatch({ size: 50 }),
      normalize(undefined, { reuse: true, allocator: kernels }),
      trainSteps(network, optimizer),
      filter((e): e is StepResult => 'kind' in e && e.kind === 'step'),
      map((step) => step.loss),
      toArray(),
    ),
  );
  const metrics = await lastValueFrom(evaluate(network, samples(set.test).pipe(minibatch({ size: 100 }), normalize())));
  return { losses: steps, testAccuracy: metrics.accuracy, weights: Float32Array.from(network.parameters[0]!.value) };
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('a conv network trains on MNIST images kept as [1, 28, 28]', () => {
  it('learns: the loss falls and most test images are right; two threads give the same numbers as one; TypeScript agrees', async () => {
    const files = await writeMnistSlice(600, 200);
    const set = {
      train: (await loadDataset({ images: files.trainImages, labels: files.trainLabels }, { classes: 10 })) as InMemoryDataset,
      test: (await loadDataset({ images: files.testImages, labels: files.testLabels }, { classes: 10 })) as InMemoryDataset,
    };
    const one = await train(set, wasm1, 3);
    expect(one.losses).toHaveLength(36);
    // the first steps are near ln 10 = 2.3; after three passes over 600 images the loss is a fraction of it
    expect(mean(one.losses.slice(0, 4))).toBeGreaterThan(1.5);
    expect(mean(one.losses.slice(-6))).toBeLessThan(0.3 * mean(one.losses.slice(0, 4)));
    expect(one.testAccuracy).toBeGreaterThan(0.7);

    const two = await train(set, wasm2, 3);
    expect(two.losses).toEqual(one.losses);
    expect(two.weights).toEqual(one.weights);

    // the TypeScript reference: the same network up to float32 rounding in other orders, drifting a little over the steps
    const reference = await train(set, tsKernels, 1);
    reference.losses.forEach((loss, i) => expect(Math.abs(loss - one.losses[i]!)).toBeLessThan(1e-3 * (i + 1)));
  }, 120_000);
});
