import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { readEpochsCsv } from '../helpers/csv.js';
import { runRxnn, type Result } from './run-rxnn.js';

let slice: SliceFiles;
let run: string;
let trained: Result;
const data = (): string[] => [
  '--train-images', slice.trainImages, '--train-labels', slice.trainLabels,
  '--test-images', slice.testImages, '--test-labels', slice.testLabels,
];
const MODERN = [
  '--epochs', '3', '--hidden', '32,16', '--activation', 'relu', '--batch-norm', '--dropout', '0.1', '--weight-decay', '0.0001',
  '--optimizer', 'adam', '--lr', '0.01', '--lr-schedule', 'step:1:0.5', '--warmup', '5', '--batch-size', '50', '--seed', '4',
];

beforeAll(async () => {
  slice = await writeMnistSlice(2000, 500);
  run = join(slice.dir, 'modern');
  trained = await runRxnn(['train', ...data(), ...MODERN, '--out', run]);
});

describe('rxnn train with the model flags', () => {
  it('trains a ReLU network with batch norm, dropout, weight decay and Adam, and says so', async () => {
    expect(trained.status).toBe(0);
    expect(trained.stderr).toMatch(/training 784-32-16-10 \(25,914 parameters; relu, init he, batch norm, dropout 0\.1, weight decay 0\.0001; adam lr 0\.01 step:1:0\.5, warmup 5\)/);
    expect(JSON.parse(trained.stdout).test_acc).toBeGreaterThan(0.8);
  });

  it('shows the rate in force in the lr column of epochs.csv', async () => {
    const rows = await readEpochsCsv(join(run, 'epochs.csv'));
    expect(rows.map((r) => r.lr)).toEqual([0.01, 0.005, 0.0025]);
  });

  it('describes every layer in the checkpoint metadata', async () => {
    const bytes = await readFile(join(run, 'checkpoints', 'epoch-0003.safetensors'));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    const hidden = (units: number): unknown[] => [
      { type: 'dense', units }, { type: 'batch-norm', momentum: 0.9, eps: 1e-5 }, { type: 'activation', function: 'relu' }, { type: 'dropout', rate: 0.1 },
    ];
    expect(JSON.parse(header.__metadata__.model)).toEqual({ input: [784], layers: [...hidden(32), ...hidden(16), { type: 'dense', units: 10 }] });
    expect(Object.keys(header)).toEqual(expect.arrayContaining(['dense.0.bn.gamma', 'dense.0.bn.running_mean', 'dense.1.bn.running_var']));
  });
});

describe('the checkpoint, read elsewhere', () => {
  it('loads in an independent numpy reader (batch norm with running statistics) to the same test accuracy', async (context) => {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      context.skip();
    }
    const script = new URL('../../scripts/check_checkpoint.py', import.meta.url).pathname;
    const file = join(run, 'checkpoints', 'epoch-0003.safetensors');
    const out = JSON.parse(execFileSync('python3', [script, file, slice.testImages, slice.testLabels], { encoding: 'utf8' }));
    // numpy's float32 sums run in another order: at most one of the 500 images may land on the other side of a tie
    expect(Math.abs(out.test_acc - JSON.parse(trained.stdout).test_acc)).toBeLessThanOrEqual(1 / 500);
  });
});

describe('rxnn eval and predict', () => {
  const checkpoint = (): string => join(run, 'checkpoints', 'epoch-0003.safetensors');

  it('eval reproduces the run\'s last test_acc and test_loss exactly, with per-class accuracy and the confusion matrix', async () => {
    const result = await runRxnn(['eval', checkpoint(), '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    const last = (await readEpochsCsv(join(run, 'epochs.csv'))).at(-1)!;
    expect(report.accuracy).toBe(last.test_acc);
    expect(report.loss).toBe(last.test_loss);
    expect(report.count).toBe(500);
    expect(report.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(500);
    const diagonal = report.confusion.reduce((sum: number, row: number[], c: number) => sum + row[c]!, 0);
    expect(diagonal / 500).toBe(report.accuracy);
    expect(report.class_accuracy).toHaveLength(10);

    const text = await runRxnn(['eval', checkpoint(), '--images', slice.testImages, '--labels', slice.testLabels]);
    expect(text.stdout).toMatch(new RegExp(`accuracy {3}${report.accuracy.toFixed(4)} {2}\\(${diagonal} of 500 right\\)\\n`));
    expect(text.stdout).toMatch(new RegExp(`loss {7}${report.loss.toFixed(4)} {2}\\(mean cross-entropy`));
    expect(text.stdout).toMatch(/confusion \(rows: true class, columns: predicted\)/);
  });

  it('eval defaults to the bundled test set', async () => {
    const result = await runRxnn(['eval', checkpoint(), '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).count).toBe(10000);
  });

  it('predict names its columns by rank with --top, and reads the bundled test set by default', async () => {
    const ranked = await runRxnn(['predict', checkpoint(), '--top', '2']);
    expect(ranked.status).toBe(0);
    const lines = ranked.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('index,predicted,rank_1_class,rank_1_p,rank_2_class,rank_2_p');
    expect(lines).toHaveLength(10_001);
    const [index, predicted, first, p1, , p2] = lines[1]!.split(',').map(Number);
    expect([index, first]).toEqual([0, predicted]);
    expect(p1).toBeGreaterThanOrEqual(p2!);
  });

  it('predict agrees with eval, in CSV and in JSON lines', async () => {
    const evalReport = JSON.parse((await runRxnn(['eval', checkpoint(), '--images', slice.testImages, '--labels', slice.testLabels, '--json'])).stdout);
    const csv = await runRxnn(['predict', checkpoint(), '--images', slice.testImages]);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('index,predicted,p_class_0,p_class_1,p_class_2,p_class_3,p_class_4,p_class_5,p_class_6,p_class_7,p_class_8,p_class_9');
    expect(lines).toHaveLength(501);
    const labels = await readFile(slice.testLabels);
    let correct = 0;
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map(Number);
      expect(cells[0]).toBe(i);
      const p = cells.slice(2);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(cells[1]).toBe(p.indexOf(Math.max(...p)));
      if (cells[1] === labels[8 + i]) correct++;
    });
    expect(correct / 500).toBe(evalReport.accuracy);

    const json = await runRxnn(['predict', checkpoint(), '--images', slice.testImages, '--top', '3', '--format', 'json']);
    const first = JSON.parse(json.stdout.split('\n')[0]!);
    expect(first.index).toBe(0);
    expect(first.top).toHaveLength(3);
    expect(first.top[0].class).toBe(first.predicted);
    expect(first.top[0].p).toBeGreaterThanOrEqual(first.top[1].p);
  });

  it('refuses a file that is not a checkpoint, and images of the wrong size, with exit 2', async () => {
    const notCheckpoint = await runRxnn(['eval', slice.testImages]);
    expect(notCheckpoint.status).toBe(2);
    expect(notCheckpoint.stderr.trimEnd().split('\n')).toHaveLength(1);
    const badTop = await runRxnn(['predict', checkpoint(), '--images', slice.testImages, '--top', '11']);
    expect(badTop.status).toBe(2);
    expect(badTop.stderr).toMatch(/--top: expected 1 to 10/);
  });
});

describe('rxnn inspect on a checkpoint', () => {
  it('lists the tensors with shapes and counts, the normalisation, the position, the backend and its epochs.csv row; --json', async () => {
    const checkpoint = (): string => join(run, 'checkpoints', 'epoch-0003.safetensors');
    const json = await runRxnn(['inspect', checkpoint(), '--json']);
    expect(json.status).toBe(0);
    const [report] = JSON.parse(json.stdout);
    const last = (await readEpochsCsv(join(run, 'epochs.csv'))).at(-1)!;
    expect(report).toMatchObject({ kind: 'checkpoint', input: 784, epoch: 3, iteration: last.iteration, normalization: { scale: 1 / 255, offset: 0 } });
    expect(report.metrics.test_acc).toBe(last.test_acc);
    const names = report.tensors.map((t: { name: string }) => t.name);
    expect(names).toContain('dense.0.bn.running_mean');
    expect(report.tensors[0]).toEqual({ name: 'dense.0.weight', shape: [784, 32], values: 784 * 32, trained: true });
    const trained = report.tensors.filter((t: { trained: boolean }) => t.trained).reduce((sum: number, t: { values: number }) => sum + t.values, 0);
    expect(report.parameters).toBe(trained);
    expect(report.parameters).toBe(25_914);

    const text = await runRxnn(['inspect', checkpoint()]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^checkpoint .*\nnetwork    input 784, 25,914 parameters\n  dense\.0\.weight +784x32 +25,088\n/);
    expect(text.stdout).toMatch(/\nposition   epoch 3, iteration \d+\nbackend    \w+ \(\w+\)\nmetrics    train_loss /);
  });
});

describe('rxnn gradcheck', () => {
  it('passes for the networks the flags describe, and exits 1 above its threshold', async () => {
    const ok = await runRxnn(['gradcheck', '--hidden', '16', '--activation', 'leaky-relu', '--batch-norm', '--dropout', '0.2', '--weight-decay', '0.01']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^784-16-10 \(leaky-relu, init he, batch norm, dropout 0\.2, weight decay 0\.01\), float64, 8 rows\n/);
    const lines = ok.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toMatch(/^PASS: worst relative error \d\.\d\de-\d+ \(dense\.\d\.\w+(\.\w+)?\), threshold 0\.0001$/);
    const strict = await runRxnn(['gradcheck', '--hidden', '8', '--activation', 'tanh', '--threshold', '1e-15']);
    expect(strict.status).toBe(1);
    expect(strict.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: worst relative error .* threshold 1e-15$/);
    expect(strict.stderr).toMatch(/^rxnn: gradient check failed: .* above 1e-15\n$/);
  });
});

describe('rxnn train refusing model flags', () => {
  async function rejected(args: string[], message: RegExp): Promise<void> {
    const result = await runRxnn(['train', ...data(), '--epochs', '1', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  }

  it('names the flag and the problem', async () => {
    await rejected(['--optimizer', 'adam', '--momentum', '0.9'], /^rxnn: --momentum: only momentum and nesterov use it, not adam$/m);
    await rejected(['--init', 'uniform'], /^rxnn: --init: expected normal:STD \(STD > 0\), xavier or he, got "uniform"$/m);
    await rejected(['--lr-schedule', 'linear'], /^rxnn: --lr-schedule: expected constant, cosine/m);
    await rejected(['--dropout', '1'], /^rxnn: --dropout: must be in \[0, 1\), got 1$/m);
    await rejected(['--activation', 'gelu'], /^rxnn: --activation: expected sigmoid, tanh, relu, leaky-relu, got "gelu"$/m);
    await rejected(['--preset', 'fastest'], /^rxnn: --preset: expected lesson, best, cnn, got "fastest"$/m);
  });
});
