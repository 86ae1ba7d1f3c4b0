import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEpochsCsv } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
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
    expect(config).toMatchObject({ 'augment-shift': 2, 'augment-rotate': 5, 'augment-scale': 1, epochs: 15, optimizer: 'adam', init: 'he' });
    expect(config.layers).toMatch(/^conv:16:5/);
    expect(config).not.toHaveProperty('hidden');
    expect(config).not.toHaveProperty('dropout');
    const file = join(slice.dir, 'cnn-config.json');
    await writeFile(file, printed.stdout);
    const again = await runRxnn(['train', '--config', file, '--print-config']);
    expect(again.stdout).toBe(printed.stdout);
  });

  it('prints a --model network\'s config as layers that --config takes back', async () => {
    const printed = await runRxnn(['train', '--model', join(ROOT, 'examples/small-cnn.json'), '--print-config']);
    expect([printed.status, printed.stderr]).toEqual([0, '']);
    expect(JSON.parse(printed.stdout)).not.toHaveProperty('model');
    const file = join(slice.dir, 'model-config.json');
    await writeFile(file, printed.stdout);
    const again = await runRxnn(['train', '--config', file, '--print-config']);
    expect([again.status, again.stdout]).toEqual([0, printed.stdout]);
  });
});
