import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEpochsCsv } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runOutcome } from '../helpers/run-files.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
const LAYERS = 'dense:32,relu,batchnorm,dropout:0.25,dense:10';
const RUN = ['--epochs', '2', '--batch-size', '50', '--seed', '4', '--optimizer', 'adam', '--lr', '0.003'];
const out = (name: string): string => join(slice.dir, name);

beforeAll(async () => {
  slice = await writeMnistSlice(400, 100);
});

describe('rxnn train --layers / --model', () => {
  it('trains the network the layers describe, lists them in the banner, records them and resumes with them', async () => {
    const result = await runRxnn(['train', ...data(), ...RUN, '--layers', LAYERS, '--out', out('layers')]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^rxnn: training a network of 5 layers \(25,514 parameters; init he; adam lr 0\.003\)/m);
    expect(result.stderr).toMatch(/^\s+input\s+\[784\]$/m);
    expect(result.stderr).toMatch(/^\s+1\s+dense:32\s+\[32\]\s+25,120$/m);
    expect(result.stderr).toMatch(/^\s+3\s+batch-norm\s+\[32\]\s+64$/m);
    expect(result.stderr).toMatch(/^\s+4\s+dropout:0\.25\s+\[32\]$/m);
    const manifest = JSON.parse(await readFile(join(out('layers'), 'run.json'), 'utf8'));
    expect(manifest.args.layers).toEqual([
      { type: 'dense', units: 32 },
      { type: 'activation', function: 'relu' },
      { type: 'batch-norm', momentum: 0.9, eps: 1e-5 },
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 10 },
    ]);
    expect((await readEpochsCsv(join(out('layers'), 'epochs.csv'))).length).toBe(2);

    // the same network from a file gives the same numbers
    const file = join(slice.dir, 'net.json');
    await writeFile(file, JSON.stringify({ input: [784], layers: manifest.args.layers }));
    const fromFile = await runRxnn(['train', ...data(), ...RUN, '--model', file, '--out', out('model')]);
    expect(fromFile.status).toBe(0);
    const a = await runOutcome(out('layers'), 'epoch-0002.safetensors');
    expect(await runOutcome(out('model'), 'epoch-0002.safetensors')).toEqual(a);

    // resumed to a third epoch: the recorded layers are used
    const resumed = await runRxnn(['train', '--resume', out('layers'), '--epochs', '3']);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/resuming a network of 5 layers/);
    const evaluated = await runRxnn(['eval', join(out('layers'), 'checkpoints', 'epoch-0003.safetensors'), '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(evaluated.status).toBe(0);
    const rows = await readEpochsCsv(join(out('layers'), 'epochs.csv'));
    expect(JSON.parse(evaluated.stdout).accuracy).toBe(rows.at(-1)!.test_acc);
  });

  it('trains a convolutional network on the images as [1, 28, 28], augmented, and eval reproduces its test accuracy', async () => {
    const dir = out('conv');
    const layers = 'conv:4:5,relu,maxpool:2,conv:8:3:1:1,relu,avgpool:2,flatten,dense:10';
    const result = await runRxnn(['train', ...data(), '--epochs', '1', '--batch-size', '50', '--optimizer', 'adam', '--lr', '0.003', '--augment-shift', '2', '--layers', layers, '--out', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^\s+input\s+\[1, 28, 28\]$/m);
    expect(result.stderr).toMatch(/^\s+1\s+conv2d:4:5\s+\[4, 24, 24\]\s+104$/m);
    expect(result.stderr).toMatch(/^\s+6\s+avg-pool:2\s+\[8, 6, 6\]$/m);
    expect(result.stderr).toMatch(/^\s+8\s+dense:10\s+\[10\]\s+2,890$/m);
    const evaluated = await runRxnn(['eval', join(dir, 'checkpoints', 'epoch-0001.safetensors'), '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(evaluated.status).toBe(0);
    expect(JSON.parse(evaluated.stdout).accuracy).toBe((await readEpochsCsv(join(dir, 'epochs.csv')))[0]!.test_acc);
  });

  it('refuses conv layers that do not fit the images, naming the layer', async () => {
    const result = await runRxnn(['train', ...data(), '--epochs', '1', '--layers', 'conv:4:3,relu,maxpool:2,maxpool:2,flatten,dense:10', '--out', out('unfit')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('rxnn: --layers: layer 4 (max-pool:2): input 13x13 is not divisible by 2');
  });

  const refusals: [string, string[], RegExp][] = [
    ['a token without its values', ['--layers', 'dense:10,relu,conv:16'], /^rxnn: --layers: token 3 "conv:16" needs CHANNELS:KERNEL$/],
    ['an unknown token', ['--layers', 'dense:10,swish'], /^rxnn: --layers: token 2 "swish": unknown layer \(known: dense:N, /],
    ['a layer out of range', ['--layers', 'dense:0,dense:10'], /^rxnn: --layers: layer 1 \(dense:0\): units: too small/],
    ['the wrong number of class scores', ['--layers', 'dense:32,relu,dense:7'], /^rxnn: --layers: the last layer gives 7 class scores, but there are 10 classes \(end with dense:10\)$/],
    ['--layers with --hidden', ['--layers', LAYERS, '--hidden', '50'], /^rxnn: --layers: describes the whole network; leave out --hidden \(the short form for MLPs\)$/],
    ['--layers with --activation', ['--layers', LAYERS, '--activation', 'relu'], /^rxnn: --layers: describes the whole network; leave out --activation/],
    ['--layers with --model', ['--layers', LAYERS, '--model', 'x.json'], /^rxnn: --(layers|model): /],
    ['a missing model file', ['--model', 'no-such.json'], /^rxnn: --model: no-such\.json: cannot read it: no such file or folder \(ENOENT\)$/],
  ];
  for (const [what, flags, message] of refusals) {
    it(`refuses ${what} with one line (exit 2) and leaves no run folder`, async () => {
      const dir = out(`refused-${what.replace(/\W+/g, '-')}`);
      const result = await runRxnn(['train', ...data(), '--epochs', '1', ...flags, '--out', dir], { cwd: slice.dir });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(message);
      await expect(readFile(join(dir, 'run.json'))).rejects.toThrow();
    });
  }

  it('refuses a model file that does not fit the data as --model: its layers, or its input against the images', async () => {
    const unfit = join(slice.dir, 'unfit.json');
    await writeFile(unfit, JSON.stringify([{ type: 'conv2d', channels: 4, kernel: 3 }, { type: 'max-pool', size: 2 }, { type: 'max-pool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 10 }]));
    const wide = join(slice.dir, 'wide-input.json');
    await writeFile(wide, JSON.stringify({ input: [1, 32, 32], layers: [{ type: 'conv2d', channels: 4, kernel: 5 }, { type: 'max-pool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 10 }] }));
    for (const [file, line] of [
      [unfit, 'rxnn: --model: layer 3 (max-pool:2): input 13x13 is not divisible by 2'],
      [wide, "rxnn: --model: the file's input is [1, 32, 32], but the data give the network [1, 28, 28]"],
    ] as const) {
      const dir = out(`unfit-${file.length}`);
      const result = await runRxnn(['train', ...data(), '--epochs', '1', '--model', file, '--out', dir]);
      expect([result.status, result.stderr]).toEqual([2, `${line}\n`]);
      await expect(readFile(join(dir, 'run.json'))).rejects.toThrow();
    }
  });

  it('refuses a model file with a bad field, naming the file and the field', async () => {
    const file = join(slice.dir, 'bad.json');
    await writeFile(file, JSON.stringify({ layers: [{ type: 'dense', units: 32 }, { type: 'dropout', rate: 2 }, { type: 'dense', units: 10 }] }));
    const result = await runRxnn(['train', ...data(), '--epochs', '1', '--model', file, '--out', out('bad-model')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^rxnn: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: layers\\.1: rate: must be in \\[0, 1\\), got 2$`));
  });
});

describe('rxnn gradcheck --layers', () => {
  it('checks the network the layers describe, listing them', async () => {
    const result = await runRxnn(['gradcheck', '--layers', 'dense:16,tanh,batchnorm,leaky-relu:0.1,dense:10', '--rows', '4', '--per-parameter', '20']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^layers \(init xavier\), float64, 4 rows$/m);
    expect(result.stdout).toMatch(/^\s+5\s+dense:10\s+\[10\]\s+170$/m);
    expect(result.stdout).toMatch(/^PASS: worst relative error /m);
  });
});
