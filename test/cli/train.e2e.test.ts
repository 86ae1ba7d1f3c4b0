import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochRows, readEpochsCsv, stepRows, withoutSeconds } from '../helpers/csv.js';
import { lastValueFrom } from 'rxjs';
import {
  buildNetwork,
  decodeSafetensors,
  encodeIdx,
  evaluate,
  loadDataset,
  loadParameterTensors,
  minibatch,
  normalize,
  samples,
  type ModelSpec,
} from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { RXNN, runRxnn, type Result } from './run-rxnn.js';

let slice: SliceFiles;
const dataFlags = (): string[] => [
  '--train-images', slice.trainImages,
  '--train-labels', slice.trainLabels,
  '--test-images', slice.testImages,
  '--test-labels', slice.testLabels,
];
// 3 epochs of 100 steps: enough to leave the sigmoid plateau (test accuracy about 0.84) in well under a second
const SMALL = ['--epochs', '3', '--hidden', '20', '--lr', '0.5', '--batch-size', '20', '--init-std', '0.1'];
const SEED = ['--seed', '5'];

const comparable = async (run: string, name: string): Promise<string> => {
  const text = await readFile(join(run, name), 'utf8');
  return name === 'epochs.csv' ? withoutSeconds(text) : text;
};

let first: Result;
let rejectedRuns = 0;
let runA: string;
beforeAll(async () => {
  slice = await writeMnistSlice(2000, 500);
  runA = join(slice.dir, 'run-a');
  first = await runRxnn(['train', ...dataFlags(), ...SMALL, ...SEED, '--out', runA]);
});

describe('rxnn train on a slice of MNIST', () => {
  it('exits 0 and prints one JSON line on stdout with the run summary', () => {
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.status).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(Object.keys(summary)).toEqual(['epochs', 'iterations', 'train_acc', 'test_acc', 'seconds', 'out', 'status']);
    expect(summary).toMatchObject({ epochs: 3, iterations: 300, out: runA });
    expect(summary.test_acc).toBeGreaterThan(0.75);
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('shows progress on stderr: one plain line per epoch when stderr is not a terminal', () => {
    const lines = first.stderr.trimEnd().split('\n');
    // 784·20 + 20 + 20·10 + 10 parameters.
    expect(lines[0]).toMatch(/^rxnn: training 784-20-10 \(15,910 parameters; sigmoid, init normal:0.1; sgd lr 0.5\) on 2000 images \(test 500\), 3 epochs of 100 steps/);
    expect(lines.slice(1, 4).map((l) => l.slice(0, 11))).toEqual(['epoch 1/3  ', 'epoch 2/3  ', 'epoch 3/3  ']);
    const summary = JSON.parse(first.stdout);
    expect(lines.slice(4)).toEqual([
      `rxnn: done in ${summary.seconds.toFixed(1)} s, 300 steps, in ${runA}`,
      expect.stringMatching(/^  final epoch 3  train_acc 0\.\d{4}  test_acc 0\.\d{4}  test_loss \d\.\d{4}$/),
      expect.stringMatching(/^  best  epoch \d  train_acc 0\.\d{4}  test_acc 0\.\d{4}  test_loss \d\.\d{4}$/),
    ]);
    expect(first.stderr).not.toMatch(/[\x1b\r]/);
  });

  it('writes epochs.csv: the contract header and one row per epoch, matching the summary', async () => {
    const rows = (await readFile(join(runA, 'epochs.csv'), 'utf8')).trimEnd().split('\n');
    // val_loss,val_acc were appended (issue 18): the older columns keep their places, and stay empty without a validation set
    expect(rows[0]).toBe('epoch,iteration,train_loss,train_acc,test_loss,test_acc,lr,seconds,val_loss,val_acc');
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).every((row) => row.endsWith(',,'))).toBe(true);
    const [firstEpoch, , last] = epochRows(rows.join('\n'));
    const summary = JSON.parse(first.stdout);
    expect([last!.epoch, last!.iteration]).toEqual([3, 300]);
    expect(last!.train_acc).toBe(summary.train_acc);
    expect(last!.test_acc).toBe(summary.test_acc);
    expect(last!.lr).toBe(0.5);
    expect(firstEpoch!.seconds).toBeLessThan(last!.seconds);
  });

  it('writes steps.csv: one row per step, and epochs.csv train_loss is their mean', async () => {
    const steps = (await readFile(join(runA, 'steps.csv'), 'utf8')).trimEnd().split('\n');
    expect(steps[0]).toBe('epoch,iteration,loss');
    expect(steps).toHaveLength(301);
    const parsed = stepRows(steps.join('\n'));
    expect(parsed.map((r) => r.iteration)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(parsed.map((r) => r.epoch)).toEqual([...Array(100).fill(1), ...Array(100).fill(2), ...Array(100).fill(3)]);
    const epochs = await readEpochsCsv(join(runA, 'epochs.csv'));
    const meanOfEpoch2 = parsed.slice(100, 200).reduce((s, r) => s + r.loss, 0) / 100;
    expect(epochs[1]!.train_loss).toBeCloseTo(meanOfEpoch2, 12);
  });

  it('writes a safetensors checkpoint per epoch that rebuilds the network and reproduces test_acc exactly', async () => {
    expect(await readdir(join(runA, 'checkpoints'))).toEqual(['epoch-0001.safetensors', 'epoch-0002.safetensors', 'epoch-0003.safetensors']);
    const file = join(runA, 'checkpoints', 'epoch-0003.safetensors');
    const { tensors, metadata } = decodeSafetensors(await readFile(file), file);
    expect(metadata).toEqual({
      model: '{"input":[784],"layers":[{"type":"dense","units":20},{"type":"activation","function":"sigmoid"},{"type":"dense","units":10}]}',
      normalize: '{"scale":0.00392156862745098,"offset":0}',
      epoch: '3',
      iteration: '300',
      backend: 'wasm',
      // --simd auto: relaxed on Node 20, which runs relaxed SIMD once its flag is on
      simd: 'relaxed',
      training_state: expect.any(String),
    });
    // What a resume needs; no wall time, so same-seed runs write identical files (checked below).
    expect(JSON.parse(metadata['training_state']!)).toEqual({
      format: 1,
      position: { epoch: 3 },
      optimizer_steps: 300,
      learning_rate: 0.5,
      random: [],
      csv_rows: { epochs: 3, steps: 300 },
      epoch_loss: { sum: 0, steps: 0 },
      metrics: { train_loss: expect.any(Number), train_acc: expect.any(Number), test_loss: expect.any(Number), test_acc: JSON.parse(first.stdout).test_acc },
      // The settings it was trained with (all but epochs), so a resume with other settings is refused.
      settings: {
        model: expect.objectContaining({ hidden: [20], init: { kind: 'normal', std: 0.1 }, classes: 10 }),
        optimizer: expect.objectContaining({ lr: 0.5 }),
        schedule: expect.any(Object),
        data: expect.objectContaining({ batchSize: 20 }),
        run: expect.objectContaining({ seed: 5 }),
      },
    });
    expect(JSON.parse(metadata['training_state']!).settings.run).not.toHaveProperty('epochs');
    expect(tensors.map((t) => [t.name, t.shape])).toEqual([
      ['dense.0.weight', [784, 20]],
      ['dense.0.bias', [20]],
      ['dense.1.weight', [20, 10]],
      ['dense.1.bias', [10]],
    ]);
    const spec = JSON.parse(metadata['model']!) as ModelSpec;
    const network = buildNetwork(spec, { initStd: 1, seed: 99 });
    loadParameterTensors(network, tensors, file);
    const test = await loadDataset({ images: slice.testImages, labels: slice.testLabels }, { classes: 10 });
    const metrics = await lastValueFrom(evaluate(network, samples(test).pipe(minibatch({ size: 64 }), normalize(JSON.parse(metadata['normalize']!)))));
    expect(metrics.accuracy).toBe(JSON.parse(first.stdout).test_acc);
  });

  it('writes checkpoints that a reader built from the safetensors spec alone (Python, numpy) loads to the same test_acc', async (context) => {
    let hasNumpy = true;
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      hasNumpy = false;
    }
    if (!hasNumpy) context.skip();
    const script = new URL('../../scripts/check_checkpoint.py', import.meta.url).pathname;
    const file = join(runA, 'checkpoints', 'epoch-0003.safetensors');
    const out = JSON.parse(execFileSync('python3', [script, file, slice.testImages, slice.testLabels], { encoding: 'utf8' }));
    expect(out).toEqual({ epoch: 3, iteration: 300, test_acc: JSON.parse(first.stdout).test_acc });
  });

  it('gives identical CSVs (apart from seconds) and checkpoints for the same seed, and others for another seed', async () => {
    const runB = join(slice.dir, 'run-b');
    const runC = join(slice.dir, 'run-c');
    const [b, c] = await Promise.all([
      runRxnn(['train', ...dataFlags(), ...SMALL, ...SEED, '--out', runB]),
      runRxnn(['train', ...dataFlags(), ...SMALL, '--seed', '6', '--out', runC]),
    ]);
    expect([b.status, c.status]).toEqual([0, 0]);
    for (const name of ['epochs.csv', 'steps.csv']) {
      const a = await comparable(runA, name);
      expect(await comparable(runB, name)).toBe(a);
      expect(await comparable(runC, name)).not.toBe(a);
    }
    for (const name of ['epoch-0001.safetensors', 'epoch-0002.safetensors', 'epoch-0003.safetensors']) {
      expect(await readFile(join(runB, 'checkpoints', name))).toEqual(await readFile(join(runA, 'checkpoints', name)));
    }
  });

  it('reaches the same accuracy with --backend ts (the TypeScript reference) as with the default wasm', async () => {
    const out = join(slice.dir, 'run-ts');
    const result = await runRxnn(['train', ...dataFlags(), ...SMALL, ...SEED, '--backend', 'ts', '--out', out]);
    expect(result.status).toBe(0);
    const wasm = JSON.parse(first.stdout);
    const ts = JSON.parse(result.stdout);
    expect(Math.abs(ts.test_acc - wasm.test_acc)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(ts.train_acc - wasm.train_acc)).toBeLessThanOrEqual(0.005);
    const metadata = decodeSafetensors(await readFile(join(out, 'checkpoints', 'epoch-0003.safetensors')), out).metadata;
    expect(metadata['backend']).toBe('ts');
  });

  it('gives the same numbers, bit for bit, with --threads 1 and --threads 2; refuses --threads 0', async () => {
    const runs = [join(slice.dir, 'run-threads-1'), join(slice.dir, 'run-threads-2')];
    for (const [i, out] of runs.entries()) {
      const result = await runRxnn(['train', ...dataFlags(), ...SMALL, ...SEED, '--threads', String(i + 1), '--out', out]);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`${i + 1} thread`);
    }
    expect(await comparable(runs[1]!, 'steps.csv')).toBe(await comparable(runs[0]!, 'steps.csv'));
    expect(await comparable(runs[1]!, 'epochs.csv')).toBe(await comparable(runs[0]!, 'epochs.csv'));
    const last = (run: string) => readFile(join(run, 'checkpoints', 'epoch-0003.safetensors'));
    expect(await last(runs[1]!)).toEqual(await last(runs[0]!));
    const refused = await runRxnn(['train', ...dataFlags(), ...SMALL, '--threads', '0', '--out', join(slice.dir, 'run-threads-0')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^rxnn: --threads: expected 1 to 64, got 0$/);
  });

  it('trains with --sampler replacement, the lesson\'s way of drawing batches', async () => {
    const out = join(slice.dir, 'run-replacement');
    const result = await runRxnn(['train', ...dataFlags(), ...SMALL, ...SEED, '--sampler', 'replacement', '--out', out]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ epochs: 3, iterations: 300 });
    expect(JSON.parse(result.stdout).test_acc).toBeGreaterThan(0.75);
    expect(await comparable(out, 'steps.csv')).not.toBe(await comparable(runA, 'steps.csv'));
  });
});

describe('rxnn train on bad input', () => {
  async function expectRejected(args: string[], message: RegExp): Promise<void> {
    const result = await runRxnn(['train', ...args]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(2);
  }

  const withFile = (flag: string, path: string): string[] => {
    const flags = dataFlags();
    flags[flags.indexOf(flag) + 1] = path;
    return [...flags, ...SMALL, ...SEED, '--out', join(slice.dir, `never-${++rejectedRuns}`)];
  };

  it('names a missing file', async () => {
    const missing = join(slice.dir, 'missing-file');
    await expectRejected(withFile('--train-images', missing), new RegExp(`^rxnn: ${missing}: cannot open: no such file or folder \\(ENOENT\\)\\n`));
  });

  it('names a malformed IDX file: wrong magic, truncated', async () => {
    const bad = join(slice.dir, 'bad-magic');
    await writeFile(bad, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    await expectRejected(withFile('--test-images', bad), /bad-magic: not an IDX file: magic number/);
    const truncated = join(slice.dir, 'truncated');
    const whole = await readFile(slice.testImages);
    await writeFile(truncated, whole.subarray(0, whole.length - 100));
    await expectRejected(withFile('--test-images', truncated), /truncated: truncated: header promises 500x28x28 ubyte values/);
  });

  it('names images and labels whose counts differ, and a label out of range', async () => {
    await expectRejected(withFile('--train-labels', slice.testLabels), /500 labels but .* has 2000 images/);
    const badLabels = join(slice.dir, 'labels-out-of-range');
    await writeFile(badLabels, encodeIdx('ubyte', [500], Array.from({ length: 500 }, (_, i) => (i === 7 ? 10 : 3))));
    await expectRejected(
      [...withFile('--test-labels', badLabels), '--classes', '10'],
      /labels-out-of-range: label 10 at item 7 is out of range 0\.\.9/,
    );
    const negative = join(slice.dir, 'labels-negative');
    await writeFile(negative, encodeIdx('int', [500], Array.from({ length: 500 }, (_, i) => (i === 9 ? -1 : 3))));
    await expectRejected(withFile('--test-labels', negative), /labels-negative: label -1 at item 9 is negative; labels count from 0$/m);
  });

  it('names an invalid flag value', async () => {
    await expectRejected(['--batch-size', '0'], /^rxnn: --batch-size: must be a positive integer, got 0/);
    await expectRejected(['--hidden', '10,x'], /^rxnn: --hidden: expected a comma-separated list of positive integers/);
    await expectRejected(['--lr', '-1'], /^rxnn: --lr: must be a positive number, got -1/);
    await expectRejected(['--sampler', 'sometimes'], /^rxnn: --sampler: expected permutation or replacement/);
    await expectRejected(['--epochs', 'many'], /^rxnn: --epochs: expected a number, got "many"/);
    await expectRejected(['--no-such-flag'], /^rxnn: unknown flag --no-such-flag\n$/);
  });

  it('refuses an --out folder that already holds a run, and leaves that run untouched', async () => {
    const before = await readFile(join(runA, 'epochs.csv'), 'utf8');
    await expectRejected([...dataFlags(), ...SMALL, ...SEED, '--out', runA], /already holds a run/);
    expect(await readFile(join(runA, 'epochs.csv'), 'utf8')).toBe(before);
  });
});

describe('the rxnn bin', () => {
  it('is executable on its own (shebang and mode), as npx runs it', async () => {
    const version = await new Promise<string>((resolve, reject) =>
      execFile(RXNN, ['--version'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('rxnn help', () => {
  it('explains the commands and every train flag', async () => {
    const top = await runRxnn(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/rxnn train/);
    const train = await runRxnn(['train', '--help']);
    expect(train.status).toBe(0);
    for (const flag of ['--train-images', '--train-labels', '--test-images', '--test-labels', '--epochs', '--batch-size', '--lr', '--hidden', '--init-std', '--seed', '--sampler', '--out']) {
      expect(train.stdout).toContain(flag);
    }
  });

  it('exits 2 with a hint when no command is given', async () => {
    const result = await runRxnn([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^rxnn: name a command/);
  });

  it('writes into a new runs/<UTC timestamp> folder by default, one per run', async () => {
    const cwd = join(slice.dir, 'cwd');
    await mkdir(cwd);
    const flags = ['train', ...dataFlags(), '--epochs', '1', '--hidden', '5'];
    // started together, so most likely within the same second: each must get a folder of its own
    const results = await Promise.all([runRxnn(flags, { cwd }), runRxnn(flags, { cwd })]);
    expect(results.map((r) => r.status)).toEqual([0, 0]);
    const outs = results.map((r) => JSON.parse(r.stdout).out as string);
    for (const out of outs) {
      expect(out).toMatch(/^runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-2)?$/);
      expect(await readdir(join(cwd, out))).toEqual(['checkpoints', 'epochs.csv', 'run.json', 'steps.csv']);
    }
    expect(outs[0]).not.toBe(outs[1]);
  });
});
