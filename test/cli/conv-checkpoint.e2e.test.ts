// A conv network trained with the library, saved as a checkpoint, and read back by every
// command that takes one, by the numpy reader and by onnxruntime.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { lastValueFrom } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../../src/export/index.js';
import {
  Adam, buildNetwork, createWasmKernels, encodeSafetensors, loadCheckpoint, loadDataset, minibatch, normalize,
  parameterTensors, readIdxFile, repeatEpochs, samples, shuffle, trainSteps, type ModelSpec,
} from '../../src/index.js';
import { checkCheckpointPy, hasNumpy } from '../helpers/check-checkpoint-py.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

const SPEC: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    { type: 'conv2d', channels: 6, kernel: 5, padding: 2 },
    { type: 'batch-norm', momentum: 0.9, eps: 1e-5 },
    { type: 'activation', function: 'relu' },
    { type: 'max-pool', size: 2 },
    { type: 'conv2d', channels: 8, kernel: 3, stride: 2, padding: 1 },
    { type: 'activation', function: 'tanh' },
    { type: 'avg-pool', size: 3, stride: 2 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 10 },
  ],
};
const TEST_IMAGES = 500;

let slice: SliceFiles;
let path: string;
beforeAll(async () => {
  slice = await writeMnistSlice(1000, TEST_IMAGES);
  const kernels = createWasmKernels();
  const network = buildNetwork(SPEC, { init: { kind: 'he' }, seed: 5, kernels });
  const train = await loadDataset({ images: slice.trainImages, labels: slice.trainLabels }, { classes: 10 });
  await lastValueFrom(
    samples(train).pipe(repeatEpochs(2), shuffle({ seed: 5 }), minibatch({ size: 50 }), normalize(undefined, { reuse: true, allocator: kernels }), trainSteps(network, new Adam(0.005, 0.9, 0.999, 1e-8, kernels))),
  );
  path = join(slice.dir, 'conv.safetensors');
  const metadata = { model: JSON.stringify(SPEC), normalize: JSON.stringify({ scale: 1 / 255, offset: 0 }), epoch: '2', iteration: '40' };
  await writeFile(path, encodeSafetensors(parameterTensors(network), metadata));
  kernels.close();
}, 120_000);

describe('a checkpoint of a conv network', () => {
  it('stores conv weights as F32 [out, in, kh, kw] and loads with its spec', async () => {
    // the file's own header, as a PyTorch user's loader reads it
    const bytes = await readFile(path);
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
    expect(header['conv2d.0.weight']).toMatchObject({ dtype: 'F32', shape: [6, 1, 5, 5] });
    expect(header['conv2d.1.weight']).toMatchObject({ dtype: 'F32', shape: [8, 6, 3, 3] });
    expect(header['conv2d.1.bias']).toMatchObject({ dtype: 'F32', shape: [8] });
    expect(header['conv2d.0.bn.running_var']).toMatchObject({ dtype: 'F32', shape: [6] });
    const loaded = await loadCheckpoint(path);
    expect(loaded.spec).toEqual(SPEC);
    expect(loaded.inputSize).toBe(784);
  });

  it('scores the same in rxnn eval and in the numpy reader, which rebuilds conv and pooling layers itself', async (context) => {
    const evaluated = await runRxnn(['eval', path, '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(evaluated.stderr).toBe('');
    const accuracy = JSON.parse(evaluated.stdout).accuracy as number;
    expect(accuracy).toBeGreaterThan(0.3); // two short epochs on 1000 images; chance is 0.1
    if (!hasNumpy()) context.skip();
    const out = checkCheckpointPy(path, slice.testImages, slice.testLabels);
    expect(out).toEqual({ epoch: 2, iteration: 40, test_acc: accuracy });
  });

  it('predicts and is inspected', async () => {
    const predicted = await runRxnn(['predict', path, '--images', slice.testImages]);
    expect(predicted.stderr).toBe('');
    expect(predicted.stdout.trimEnd().split('\n')).toHaveLength(TEST_IMAGES + 1);
    const inspected = await runRxnn(['inspect', path]);
    expect(inspected.status).toBe(0);
    expect(inspected.stdout).toMatch(/^network    input \[1, 28, 28\], [\d,]+ parameters\n  conv2d\.0\.weight +6x1x5x5 +150\n/m);
    const [json] = JSON.parse((await runRxnn(['inspect', path, '--json'])).stdout);
    expect([json.input, json.inputShape]).toEqual([784, [1, 28, 28]]);
  });

  it('exports to ONNX (Reshape, Conv, MaxPool, AveragePool), whose onnxruntime probabilities are rxnn predict\'s within 1e-5', async () => {
    const out = join(slice.dir, 'conv.onnx');
    const exported = await runRxnn(['export', path, '--format', 'onnx', '--out', out]);
    expect(exported.stderr).toBe('');
    const model = new Uint8Array(await readFile(out));
    const graph = decodeOnnxModel(model)['graph'] as { node: { op_type: string }[] };
    expect(graph.node.map((node) => node.op_type)).toEqual([
      'Mul', 'Add', 'Reshape', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Conv', 'Tanh', 'AveragePool', 'Flatten', 'Gemm', 'Softmax',
    ]);
    const predicted = await runRxnn(['predict', path, '--images', slice.testImages]);
    const expected = predicted.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(',').map(Number).slice(2));
    const images = await readIdxFile(slice.testImages);
    const session = await ort.InferenceSession.create(model);
    const output = await session.run({ pixels: new ort.Tensor('float32', Float32Array.from(images.data), [TEST_IMAGES, 784]) });
    const p = output['probabilities']!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < TEST_IMAGES; i++) for (let c = 0; c < 10; c++) worst = Math.max(worst, Math.abs(p[i * 10 + c]! - expected[i]![c]!));
    expect(worst).toBeLessThan(1e-5);
  });
});
