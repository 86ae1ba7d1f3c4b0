import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/index.js';
import { readEpochsCsv, withoutSeconds } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];

beforeAll(async () => {
  slice = await writeMnistSlice(200, 100);
});

describe('rxnn train --preset cnn', () => {
  it('trains the preset\'s conv net on shifted images, lists its layers and records its settings', async () => {
    const dir = join(slice.dir, 'cnn');
    const result = await runRxnn(['train', '--preset', 'cnn', '--epochs', '1', ...data(), '--out', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^\s+input\s+\[1, 28, 28\]$/m);
    expect(result.stderr).toMatch(/^\s+1\s+conv2d:16:5\s+\[16, 24, 24\]\s+416$/m);
    expect(result.stderr).toMatch(/^\s+4\s+conv2d:32:5\s+\[32, 8, 8\]\s+12,832$/m);
    expect(result.stderr).toMatch(/^\s+10\s+dropout:0\.5\s+\[100\]$/m);
    const settings = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).settings;
    expect(settings.data.augment).toEqual({ shift: 2, rotate: 0, scale: 1 });
    expect(settings.model.layers.map((layer: { type: string }) => layer.type)).toEqual([
      'conv2d', 'activation', 'max-pool', 'conv2d', 'activation', 'max-pool', 'flatten', 'dense', 'activation', 'dropout', 'dense',
    ]);
    expect([settings.optimizer.name, settings.schedule.kind]).toEqual(['adam', 'cosine']);
    expect(await readEpochsCsv(join(dir, 'epochs.csv'))).toHaveLength(1);
    // scoring in batches of 1000 rather than the preset's 100 changes no number
    const wide = join(slice.dir, 'cnn-eval-1000');
    const again = await runRxnn(['train', '--preset', 'cnn', '--epochs', '1', '--eval-batch-size', '1000', ...data(), '--out', wide, '--quiet']);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(withoutSeconds(await readFile(join(wide, 'epochs.csv'), 'utf8'))).toBe(withoutSeconds(await readFile(join(dir, 'epochs.csv'), 'utf8')));
  });

  it('is compared with MLP runs by its layers in rxnn runs, without the MLP settings it does not use', async () => {
    const parent = join(slice.dir, 'compared');
    for (const [name, flags] of [['cnn', ['--preset', 'cnn']], ['lesson', []]] as const) {
      const result = await runRxnn(['train', ...flags, '--epochs', '1', ...data(), '--out', join(parent, name), '--quiet']);
      expect(result.status).toBe(0);
    }
    const table = await runRxnn(['runs', parent, '--json']);
    const rows = Object.fromEntries((JSON.parse(table.stdout) as { run: string; settings: Record<string, string> }[]).map((row) => [row.run, row.settings]));
    expect(rows['cnn']).toMatchObject({ layers: expect.stringMatching(/^conv:16:5/), optimizer: 'adam' });
    expect(Object.keys(rows['cnn']!)).not.toContain('hidden');
    expect(Object.keys(rows['cnn']!)).not.toContain('activation');
    expect(rows['lesson']).toMatchObject({ hidden: '50', activation: 'sigmoid' });
    const csv = await runRxnn(['runs', parent, '--csv']);
    const header = csv.stdout.split('\n')[0]!.split(',');
    expect(header).toContain('layers');
    expect(header).toContain('hidden');
  });

  it('refuses the MLP flags, whose network the preset does not have, before anything is written', async () => {
    for (const flag of [['--hidden', '100'], ['--dropout', '0.3'], ['--activation', 'tanh'], ['--batch-norm']]) {
      const dir = join(slice.dir, `refused${flag[0]}`);
      const result = await runRxnn(['train', '--preset', 'cnn', ...flag, ...data(), '--out', dir]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^rxnn: ${flag[0]}: the preset's network is given as layers \\(conv:16:5.*\\); change it with --layers\\n$`));
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('lays augmentation flags over the preset\'s shift, and --print-config gives back its layers and augmentation', async () => {
    const printed = await runRxnn(['train', '--preset', 'cnn', '--augment-rotate', '5', '--print-config']);
    expect([printed.status, printed.stderr]).toEqual([0, '']);
    const config = JSON.parse(printed.stdout);
    expect(config).toMatchObject({ 'augment-shift': 2, 'augment-rotate': 5, 'augment-scale': 1, epochs: 15, 'eval-batch-size': 100, optimizer: 'adam', init: 'he' });
    expect(config.layers).toMatch(/^conv:16:5/);
    expect(config).not.toHaveProperty('hidden');
    expect(config).not.toHaveProperty('dropout');
    const file = join(slice.dir, 'cnn-config.json');
    await writeFile(file, printed.stdout);
    const again = await runRxnn(['train', '--config', file, '--print-config']);
    expect(again.stdout).toBe(printed.stdout);
  });

  it('prints a --model network\'s config with the file (whose layers may have no token), which --config takes back', async () => {
    const model = join(slice.dir, 'momentum-bn.json');
    await writeFile(model, JSON.stringify([{ type: 'dense', units: 16 }, { type: 'batch-norm', momentum: 0.8, eps: 1e-3 }, { type: 'activation', function: 'relu' }, { type: 'dense', units: 10 }]));
    const printed = await runRxnn(['train', '--model', model, '--print-config']);
    expect([printed.status, printed.stderr]).toEqual([0, '']);
    expect(JSON.parse(printed.stdout)).toMatchObject({ model, init: 'he' });
    expect(JSON.parse(printed.stdout)).not.toHaveProperty('layers');
    const file = join(slice.dir, 'model-config.json');
    await writeFile(file, printed.stdout);
    const again = await runRxnn(['train', '--config', file, '--print-config']);
    expect([again.status, again.stdout]).toEqual([0, printed.stdout]);
  });

  it('names the preset, not flags never typed, when its network or augmentation does not fit the data', async () => {
    const images = join(slice.dir, 'vectors-idx3-ubyte');
    await writeFile(images, encodeIdx('ubyte', [4, 784], new Uint8Array(4 * 784)));
    const labels = join(slice.dir, 'vectors-labels-idx1-ubyte');
    await writeFile(labels, encodeIdx('ubyte', [4], [0, 1, 2, 3]));
    const vectors = ['--train-images', images, '--train-labels', labels, '--test-images', images, '--test-labels', labels];
    for (const [flags, line] of [
      [[], `rxnn: --preset: the cnn preset's augmentation moves images, but the training samples (${images}) are vectors of 784 values`],
      [['--augment-shift', '0'], "rxnn: --preset: the cnn preset's network: the first layers (conv2d) need images with a height and width, but the data are vectors of 784 values"],
    ] as const) {
      const dir = join(slice.dir, `vectors-${flags.length}`);
      const result = await runRxnn(['train', '--preset', 'cnn', ...vectors, ...flags, '--out', dir]);
      expect([result.status, result.stderr]).toEqual([2, `${line}\n`]);
      expect(existsSync(dir)).toBe(false);
    }
  });
});
