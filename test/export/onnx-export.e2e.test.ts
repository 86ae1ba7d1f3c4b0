// rxnn export --format onnx, checked with a real ONNX runtime (onnxruntime-web, wasm backend, in Node)
// against rxnn predict on the whole bundled MNIST test set.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOnnxModel, exportOnnx } from '../../src/export/index.js';
import { bundledMnist, loadCheckpoint, readIdxFile } from '../../src/index.js';
import { runRxnn } from '../cli/run-rxnn.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';

const NETWORKS = {
  lesson: { flags: [], ops: ['Mul', 'Add', 'Gemm', 'Sigmoid', 'Gemm', 'Softmax'] },
  'relu, batch norm, dropout': {
    flags: ['--hidden', '64,32', '--activation', 'relu', '--batch-norm', '--dropout', '0.2', '--optimizer', 'adam', '--lr', '0.005'],
    ops: ['Mul', 'Add', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm', 'Softmax'],
  },
  'leaky-relu, batch norm': {
    flags: ['--hidden', '32', '--activation', 'leaky-relu', '--batch-norm'],
    ops: ['Mul', 'Add', 'Gemm', 'BatchNormalization', 'LeakyRelu', 'Gemm', 'Softmax'],
  },
  tanh: { flags: ['--hidden', '40', '--activation', 'tanh'], ops: ['Mul', 'Add', 'Gemm', 'Tanh', 'Gemm', 'Softmax'] },
} as const;
type Name = keyof typeof NETWORKS;

let slice: SliceFiles;
let testImages: { data: ArrayLike<number>; count: number };
const checkpoints = {} as Record<Name, string>;

beforeAll(async () => {
  slice = await writeMnistSlice(3000, 200);
  const data = ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
  for (const [name, { flags }] of Object.entries(NETWORKS)) {
    const out = join(slice.dir, name.replace(/\W+/g, '-'));
    const trained = await runRxnn(['train', ...data, ...flags, '--epochs', '2', '--quiet', '--out', out]);
    expect(trained.stderr).toBe('');
    checkpoints[name as Name] = join(out, 'checkpoints', 'epoch-0002.safetensors');
  }
  const images = await readIdxFile(bundledMnist().test.images);
  testImages = { data: images.data, count: images.dims[0]! };
}, 120_000);

/** rxnn predict's CSV: the predicted class and the probabilities of every image. */
async function rxnnPredictions(checkpoint: string): Promise<{ predicted: number[]; probabilities: number[][] }> {
  const result = await runRxnn(['predict', checkpoint, '--images', bundledMnist().test.images]);
  expect(result.status).toBe(0);
  const rows = result.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(',').map(Number));
  return { predicted: rows.map((row) => row[1]!), probabilities: rows.map((row) => row.slice(2)) };
}

async function onnxProbabilities(model: Uint8Array, classes: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const pixels = Float32Array.from(testImages.data);
  const output = await session.run({ pixels: new ort.Tensor('float32', pixels, [testImages.count, 784]) });
  const probabilities = output['probabilities']!;
  expect(probabilities.dims).toEqual([testImages.count, classes]);
  return probabilities.data as Float32Array;
}

describe('rxnn export --format onnx', () => {
  for (const name of Object.keys(NETWORKS) as Name[]) {
    it(`${name}: onnxruntime predicts every test image as rxnn predict does, probabilities within 1e-5`, async () => {
      const out = join(slice.dir, `${name.replace(/\W+/g, '-')}.onnx`);
      const exported = await runRxnn(['export', checkpoints[name], '--format', 'onnx', '--out', out]);
      expect(exported.stderr).toBe('');
      expect(exported.status).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ out, format: 'onnx', input: { name: 'pixels', shape: ['batch', 784] }, output: { name: 'probabilities', shape: ['batch', 10] } });
      const model = new Uint8Array(await readFile(out));

      const graph = decodeOnnxModel(model)['graph'] as { node: { op_type: string }[] };
      expect(graph.node.map((node) => node.op_type)).toEqual(NETWORKS[name].ops);

      const expected = await rxnnPredictions(checkpoints[name]);
      expect(expected.predicted).toHaveLength(10_000);
      const p = await onnxProbabilities(model, 10);
      let worst = 0;
      const predicted: number[] = [];
      for (let i = 0; i < testImages.count; i++) {
        const row = Array.from(p.subarray(i * 10, (i + 1) * 10));
        predicted.push(row.indexOf(Math.max(...row)));
        row.forEach((value, c) => (worst = Math.max(worst, Math.abs(value - expected.probabilities[i]![c]!))));
      }
      expect(predicted).toEqual(expected.predicted);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('the library function gives the bytes the command writes', async () => {
    const out = join(slice.dir, 'library.onnx');
    expect((await runRxnn(['export', checkpoints.lesson, '--out', out])).status).toBe(0);
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const bytes = exportOnnx(await loadCheckpoint(checkpoints.lesson), { producerVersion: version });
    expect(Buffer.from(bytes).equals(await readFile(out))).toBe(true);
    const model = decodeOnnxModel(bytes);
    expect(model).toMatchObject({ ir_version: 8, producer_name: 'rxnn', producer_version: version, opset_import: [{ version: 13 }] });
    expect(model['metadata_props']).toContainEqual({ key: 'rxnn.normalize', value: JSON.stringify({ scale: 1 / 255, offset: 0 }) });
  });

  it('refuses bad input with one line and exit status 2', async () => {
    const notCheckpoint = join(slice.dir, 'not-a-checkpoint.safetensors');
    await writeFile(notCheckpoint, 'hello');
    const out = join(slice.dir, 'refused.onnx');
    const cases: [string[], RegExp][] = [
      [['export', join(slice.dir, 'missing.safetensors'), '--out', out], /missing\.safetensors: cannot read the checkpoint: no such file/],
      [['export', checkpoints.lesson, '--format', 'tflite', '--out', out], /^rxnn: --format: expected onnx, got "tflite"/],
      [['export', notCheckpoint, '--out', out], /not-a-checkpoint\.safetensors: not a safetensors file/],
      [['export', slice.trainImages, '--out', out], /train-images-idx3-ubyte: not a safetensors file/],
      [['export', checkpoints.lesson, '--out', join(slice.dir, 'no-such-folder', 'model.onnx')], /model\.onnx: cannot write: no such file or folder/],
      [['export', checkpoints.lesson, '--out', slice.dir], /cannot write: is a folder/],
    ];
    for (const [args, message] of cases) {
      const result = await runRxnn(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });
});
