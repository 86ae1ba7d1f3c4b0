import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutSeconds } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
beforeAll(async () => {
  slice = await writeMnistSlice(600, 200);
});

const dataFlags = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];

describe('rxnn train --config FILE and --print-config', () => {
  it('trains from a YAML config as from the same flags typed, and run.json records the effective flags', async () => {
    const config = join(slice.dir, 'small.yaml');
    await writeFile(config, `# a small run\nepochs: 2\nhidden: "20,10"\nactivation: relu\nbatch-size: 50\nlr: 0.05\noptimizer: momentum\nmomentum: 0.8\nbatch-norm: true\nseed: 3\n`);
    const typed = join(slice.dir, 'typed');
    const fromConfig = join(slice.dir, 'from-config');
    const a = await runRxnn(['train', ...dataFlags(), '--epochs', '2', '--hidden', '20,10', '--activation', 'relu', '--batch-size', '50', '--lr', '0.05', '--optimizer', 'momentum', '--momentum', '0.8', '--batch-norm', '--seed', '3', '--out', typed, '--quiet']);
    const b = await runRxnn(['train', '--config', config, ...dataFlags(), '--out', fromConfig, '--quiet']);
    expect([a.status, a.stderr, b.status, b.stderr]).toEqual([0, '', 0, '']);
    const csv = async (dir: string) => withoutSeconds(await readFile(join(dir, 'epochs.csv'), 'utf8'));
    // every column but seconds the same, bit for bit
    expect(await csv(fromConfig)).toEqual(await csv(typed));
    const manifest = async (dir: string) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    const [ma, mb] = [await manifest(typed), await manifest(fromConfig)];
    expect(mb.settings).toEqual(ma.settings);
    expect({ ...mb.args, out: undefined }).toEqual({ ...ma.args, out: undefined });
    // resumes without the config file: run.json holds its flags
    const resumed = await runRxnn(['train', '--resume', fromConfig, '--epochs', '3', '--quiet']);
    expect([resumed.status, resumed.stderr]).toEqual([0, '']);
  });

  it('flags on the command line override the file; --print-config prints what --config takes back', async () => {
    const config = join(slice.dir, 'base.json');
    await writeFile(config, JSON.stringify({ preset: 'best', lr: 0.01, epochs: 4, 'batch-norm': false }));
    const printed = await runRxnn(['train', '--config', config, '--lr', '0.002', '--print-config']);
    expect([printed.status, printed.stderr]).toEqual([0, '']);
    const effective = JSON.parse(printed.stdout);
    expect(effective).toMatchObject({ lr: 0.002, epochs: 4, 'batch-norm': false, hidden: '512,256', optimizer: 'adam', 'lr-schedule': 'cosine', init: 'he' });
    expect(effective).not.toHaveProperty('preset');
    const again = join(slice.dir, 'printed.json');
    await writeFile(again, printed.stdout);
    const reprinted = await runRxnn(['train', '--config', again, '--print-config']);
    expect(reprinted.stdout).toBe(printed.stdout);
  });

  it('a bad config is one line naming the file and the flag, exit 2', async () => {
    const cases: [string, RegExp][] = [
      ['hiden: "10"\n', /^rxnn: .*bad\.yaml: unknown flag --hiden \(did you mean --hidden\?\)\n$/],
      ['lr: -1\n', /^rxnn: .*bad\.yaml: --lr: must be a positive number, got -1\n$/],
      ['- 1\n', /^rxnn: .*bad\.yaml: expected a mapping of flag names to values/],
      ['resume: runs/x\n', /^rxnn: .*bad\.yaml: resume: not allowed in a config file/],
      ['lr: [0.1\n', /^rxnn: .*bad\.yaml: not valid YAML or JSON/],
    ];
    const file = join(slice.dir, 'bad.yaml');
    for (const [content, expected] of cases) {
      await writeFile(file, content);
      const result = await runRxnn(['train', '--config', file, '--print-config']);
      expect({ content, status: result.status, stdout: result.stdout }).toEqual({ content, status: 2, stdout: '' });
      expect(result.stderr).toMatch(expected);
    }
    const missing = await runRxnn(['train', '--config', join(slice.dir, 'nope.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: cannot read the config file: no such file/);
  });
});
