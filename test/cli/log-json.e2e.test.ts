import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
const SMALL = ['--epochs', '2', '--hidden', '10', '--batch-size', '50', '--init-std', '0.1'];

beforeAll(async () => {
  slice = await writeMnistSlice(500, 100);
});

describe('rxnn train --log-json', () => {
  it('writes one JSON object per epoch to a file, the epochs.csv rows, and every N-th step with --log-json-steps', async () => {
    const out = join(slice.dir, 'logged');
    const log = join(slice.dir, 'log.jsonl');
    const result = await runRxnn(['train', ...data(), ...SMALL, '--out', out, '--log-json', log, '--log-json-steps', '4']);
    expect(result.status).toBe(0);
    const lines = (await readFile(log, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    const epochs = lines.filter((l) => l.kind === 'epoch');
    const steps = lines.filter((l) => l.kind === 'step');
    // 500 images in batches of 50: 10 steps an epoch, 20 in all; every 4th: 4, 8, 12, 16, 20.
    expect(steps.map((s) => s.iteration)).toEqual([4, 8, 12, 16, 20]);
    expect(lines.map((l) => l.kind)).toEqual(['step', 'step', 'epoch', 'step', 'step', 'step', 'epoch']);
    const csv = (await readFile(join(out, 'epochs.csv'), 'utf8')).trimEnd().split('\n');
    const columns = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, v === '' ? undefined : Number(v)])));
    expect(epochs.map(({ kind: _, ...row }) => row)).toEqual(rows);
  });

  it('- writes to stdout, before the summary line', async () => {
    const result = await runRxnn(['train', ...data(), ...SMALL, '--out', join(slice.dir, 'stdout'), '--log-json', '-']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind ?? l.status)).toEqual(['epoch', 'epoch', 'completed']);
  });

  it('--log-json-steps alone is refused before anything is made', async () => {
    const out = join(slice.dir, 'never');
    const result = await runRxnn(['train', ...data(), ...SMALL, '--out', out, '--log-json-steps', '4']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^rxnn: .*log-json-steps.*log-json/);
    await expect(readFile(join(out, 'run.json'))).rejects.toThrow();
  });
});
