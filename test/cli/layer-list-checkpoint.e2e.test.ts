import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNetwork, DEFAULT_BATCH_NORM, encodeSafetensors, loadCheckpoint, parameterTensors, type ModelSpec } from '../../src/index.js';
import { checkCheckpointPy, hasNumpy } from '../helpers/check-checkpoint-py.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

// A network the MLP flags cannot describe: images kept as [1, 28, 28], flattened, batch norm, tanh.
const SPEC: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 16 },
    { type: 'batch-norm', ...DEFAULT_BATCH_NORM },
    { type: 'activation', function: 'tanh' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 10 },
  ],
};

let slice: SliceFiles;
let path: string;
beforeAll(async () => {
  slice = await writeMnistSlice(1, 500);
  const network = buildNetwork(SPEC, { init: { kind: 'he' }, seed: 2 });
  // running statistics other than their initial 0 and 1, so that readers must use them
  for (const t of network.runningState) t.value.forEach((_, i) => (t.value[i] = t.name.endsWith('mean') ? 0.1 * (i % 3) : 1 + 0.2 * (i % 4)));
  path = join(slice.dir, 'layer-list.safetensors');
  const metadata = { model: JSON.stringify(SPEC), normalize: JSON.stringify({ scale: 1 / 255, offset: 0 }), epoch: '1', iteration: '0' };
  await writeFile(path, encodeSafetensors(parameterTensors(network), metadata));
});

describe('a checkpoint of a network given as a list of layers', () => {
  it('loads with its spec and image-shaped input', async () => {
    const loaded = await loadCheckpoint(path);
    expect(loaded.spec).toEqual(SPEC);
    expect(loaded.inputSize).toBe(784);
  });

  it('scores the same in rxnn eval and in the numpy reader', async (context) => {
    const evaluated = await runRxnn(['eval', path, '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(evaluated.stderr).toBe('');
    const accuracy = JSON.parse(evaluated.stdout).accuracy as number;
    expect(accuracy).toBeGreaterThan(0.05);
    if (!hasNumpy()) context.skip();
    const out = checkCheckpointPy(path, slice.testImages, slice.testLabels);
    // numpy's float32 sums run in another order: at most one of the 500 images may land on the other side of a tie
    expect(Math.abs(out.test_acc - accuracy)).toBeLessThanOrEqual(1 / 500);
  });

  it('is refused, naming the layer, when a layer does not fit its input', async () => {
    const bad = join(slice.dir, 'no-flatten.safetensors');
    const spec = { ...SPEC, layers: SPEC.layers.slice(1) };
    await writeFile(bad, encodeSafetensors([], { model: JSON.stringify(spec), normalize: '{"scale":1,"offset":0}' }));
    const result = await runRxnn(['eval', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no-flatten\.safetensors: metadata "model" does not describe a network rxnn can build \(layer 1 \(dense:16\): needs a vector of values, got a \[1, 28, 28\] input\)\n$/);
  });
});
