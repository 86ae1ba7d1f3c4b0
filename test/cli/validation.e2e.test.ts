// rxnn train --validation / --validation-images, --early-stop, --save-best alone, and rxnn runs over seeds.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEpochsCsv, withoutSeconds } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { RXNN, runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
const SMALL = ['--epochs', '6', '--hidden', '20', '--batch-size', '20', '--lr', '0.5', '--threads', '1'];

beforeAll(async () => {
  slice = await writeMnistSlice(500, 200);
});

describe('rxnn train with a validation set', () => {
  it('holds out --validation samples, stops early naming the best epoch, keeps best.safetensors by val_acc, and rxnn runs shows validation', async () => {
    const runs = join(slice.dir, 'runs');
    // no epoch beats the first by more than 1: the run stops after epoch 1 + 2
    const flags = [...data(), ...SMALL, '--validation', '0.2', '--early-stop', '2:1', '--save-best'];
    const [a, b] = await Promise.all([
      runRxnn(['train', ...flags, '--out', join(runs, 'seed-0')]),
      runRxnn(['train', ...flags, '--seed', '1', '--out', join(runs, 'seed-1')]),
    ]);
    expect([a.status, b.status], a.stderr + b.stderr).toEqual([0, 0]);
    expect(a.stderr).toContain('on 400 images (validation 100 held out, test 200)');
    expect(a.stderr).toContain('rxnn: stopped early after epoch 3: val_acc has not improved for 2 epochs; the best epoch was 1');
    const dir = join(runs, 'seed-0');
    const rows = await readEpochsCsv(join(dir, 'epochs.csv'));
    expect(rows.map((r) => r.iteration)).toEqual([20, 40, 60]);
    expect(rows.every((r) => r.val_acc !== undefined && r.val_loss !== undefined)).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'completed', settings: { data: { validation: 0.2 }, run: { earlyStop: { patience: 2, minDelta: 1, metric: 'val_acc' } } }, final: { epoch: 3 } });
    expect(manifest.message).toMatch(/best epoch was 1 \(val_acc /);
    expect(manifest.final.val_acc).toBe(rows[2]!.val_acc);
    expect(await readdir(join(dir, 'checkpoints'))).toContain('best.safetensors');

    const table = await runRxnn(['runs', runs]);
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^run\s+seed\s+epochs\s+train_acc\s+val_acc\s+test_acc\s+best_val_acc\s+best_test_acc\s+best_epoch/);
    const [, seeds] = table.stdout.split('\nover seeds (mean ± std):\n');
    expect(seeds?.split('\n')[0]).toMatch(/^runs\s+seeds\s+train_acc\s+val_acc\s+test_acc\s+best_val_acc\s+best_test_acc$/);
    expect(seeds?.split('\n')[1]).toMatch(/^2\s+0 1\s+0\.\d{4} ± 0\.\d{4}/);
  });

  it('resumes a run with a held-out validation set from its checkpoint, as the run never stopped', async () => {
    const runs = join(slice.dir, 'resumed');
    const flags = [...data(), ...SMALL.filter((f, i, all) => f !== '--epochs' && all[i - 1] !== '--epochs'), '--validation', '100', '--lr-schedule', 'plateau:0.5:1', '--early-stop', '3'];
    const whole = await runRxnn(['train', ...flags, '--epochs', '4', '--out', join(runs, 'whole')]);
    expect(whole.status, whole.stderr).toBe(0);
    const short = await runRxnn(['train', ...flags, '--epochs', '2', '--out', join(runs, 'extended')]);
    expect(short.status, short.stderr).toBe(0);
    const resumed = await runRxnn(['train', '--resume', join(runs, 'extended'), '--epochs', '4']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('skipping');
    expect(resumed.stderr).toContain('from epoch-0002.safetensors');
    const csv = async (run: string): Promise<string> => withoutSeconds(await readFile(join(runs, run, 'epochs.csv'), 'utf8'));
    expect(await csv('extended')).toBe(await csv('whole'));
  });

  it('stopped with Ctrl-C inside an epoch and resumed, stops early at the same epoch with the same files and message', async () => {
    const runs = join(slice.dir, 'interrupted');
    // the rate is cut and the run stops early, both from state the checkpoints carry
    const flags = [...data(), ...SMALL, '--validation', '0.2', '--lr-schedule', 'plateau:0.5:1', '--early-stop', '2:1', '--backend', 'ts'];
    const whole = await runRxnn(['train', ...flags, '--out', join(runs, 'whole')]);
    expect(whole.status, whole.stderr).toBe(0);
    const dir = join(runs, 'stopped');
    const child = spawn(process.execPath, [RXNN, 'train', ...flags, '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('epoch 1/6') && !child.killed) child.kill('SIGINT');
    });
    expect(await done, stderr).toBe(130);
    expect(stderr).toMatch(/stopped by SIGINT at step \d+/);
    const resumed = await runRxnn(['train', '--resume', dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('rxnn: stopped early after epoch 3: val_acc has not improved for 2 epochs; the best epoch was 1');
    const csv = async (run: string): Promise<string> => withoutSeconds(await readFile(join(runs, run, 'epochs.csv'), 'utf8'));
    expect(await csv('stopped')).toBe(await csv('whole'));
    const message = async (run: string): Promise<unknown> => JSON.parse(await readFile(join(runs, run, 'run.json'), 'utf8')).message;
    expect(await message('stopped')).toBe(await message('whole'));
  });

  it('takes a separate validation set, and refuses one together with --validation, or val_acc without a validation set', async () => {
    const runs = join(slice.dir, 'separate');
    const separate = ['--validation-images', slice.testImages, '--validation-labels', slice.testLabels];
    const ok = await runRxnn(['train', ...data(), ...SMALL, '--epochs', '1', ...separate, '--out', join(runs, 'a')]);
    expect(ok.status, ok.stderr).toBe(0);
    const [row] = await readEpochsCsv(join(runs, 'a', 'epochs.csv'));
    expect(row!.val_acc).toBe(row!.test_acc); // the same images
    const both = await runRxnn(['train', ...data(), ...separate, '--validation', '100', '--out', join(runs, 'b')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/validation/);
    const none = await runRxnn(['train', ...data(), '--save-best', 'val_acc', '--out', join(runs, 'c')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('val_acc needs a validation set');
  });
});
