import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEpochsCsv } from '../helpers/csv.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { fitColumns } from '../../src/cli/runs-command.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
let runs: string;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
const SMALL = ['--epochs', '3', '--hidden', '20', '--batch-size', '20', '--init-std', '0.1'];

/** Line marks in an SVG rendered by Vega: one path per drawn series. */
const linePaths = (svg: string): number =>
  [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].reduce((n, m) => n + (m[1]!.match(/<path/g) ?? []).length, 0);

beforeAll(async () => {
  slice = await writeMnistSlice(600, 200);
  runs = join(slice.dir, 'runs');
  const [a, b] = await Promise.all([
    runRxnn(['train', ...data(), ...SMALL, '--lr', '0.5', '--plot', '--quiet', '--out', join(runs, 'lr-0.5')]),
    runRxnn(['train', ...data(), ...SMALL, '--lr', '0.1', '--out', join(runs, 'lr-0.1')]),
  ]);
  expect([a.status, b.status]).toEqual([0, 0]);
  expect(a.stderr).toBe(''); // --quiet: nothing but errors
});

describe('rxnn train --plot', () => {
  it('leaves SVG and PNG charts in DIR/plots', async () => {
    expect((await readdir(join(runs, 'lr-0.5', 'plots'))).sort()).toEqual(
      ['accuracy.png', 'accuracy.svg', 'epoch-loss.png', 'epoch-loss.svg', 'loss.png', 'loss.svg'],
    );
  });
});

describe('rxnn plot', () => {
  it('renders a PNG of real size that is not blank: more than two colours inside the plot area', async () => {
    const out = join(slice.dir, 'compare.png');
    const result = await runRxnn(['plot', join(runs, 'lr-0.5'), join(runs, 'lr-0.1'), '--metric', 'acc', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${out}\n`);
    const png = PNG.sync.read(await readFile(out));
    expect(png.width).toBeGreaterThan(1000);
    expect(png.height).toBeGreaterThan(500);
    // The plot area: well inside the picture, left of the legend, below the title.
    const colours = new Set<number>();
    for (let y = Math.floor(png.height * 0.2); y < png.height * 0.8; y++) {
      for (let x = Math.floor(png.width * 0.15); x < png.width * 0.75; x++) {
        const i = (y * png.width + x) * 4;
        colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
      }
    }
    expect(colours.size).toBeGreaterThan(2);
  });

  it('writes SVG with the axis titles, a legend naming each run, and one path per series', async () => {
    const out = join(slice.dir, 'all.svg');
    expect((await runRxnn(['plot', join(runs, 'lr-0.5'), join(runs, 'lr-0.1'), '--out', out])).status).toBe(0);
    const svg = await readFile(out, 'utf8');
    for (const text of ['iteration', 'epoch', 'cross-entropy loss', 'accuracy', 'lr-0.5', 'lr-0.1', 'train', 'test']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    // step loss: raw + smoothed per run (4); accuracy: train + test per run (4); loss per epoch: the same (4)
    expect(linePaths(svg)).toBe(12);
    // Every panel has the run legend.
    for (const run of ['lr-0.5', 'lr-0.1']) expect(svg.match(new RegExp(`>${run}</text>`, 'g'))).toHaveLength(3);
    const single = join(slice.dir, 'one.svg');
    expect((await runRxnn(['plot', join(runs, 'lr-0.1'), '--metric', 'loss', '--smooth', '1', '--out', single])).status).toBe(0);
    expect(linePaths(await readFile(single, 'utf8'))).toBe(4); // raw and "smoothed" over 1 step, train and test per epoch
  });

  it('names a folder without CSVs and a bad flag (exit 2, one line)', async () => {
    const missing = await runRxnn(['plot', slice.dir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^rxnn: .*\.csv: missing: not an rxnn run folder\n$/);
    const smooth = await runRxnn(['plot', join(runs, 'lr-0.1'), '--smooth', '0']);
    expect(smooth.status).toBe(2);
    expect(smooth.stderr).toBe('rxnn: --smooth: must be a whole number of steps, 1 or more, got 0\n');
  });
});

/** The tick labels of an SVG's axes, in order (x axis first). */
const axisLabels = (svg: string): string[] =>
  [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((m) => [...m[1]!.matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]!)).flat();

describe('rxnn plot axes', () => {
  const plot = async (args: string[]): Promise<string> => {
    const out = join(slice.dir, `axes-${args.join('_').replace(/[^\w.-]/g, '')}.svg`);
    const result = await runRxnn(['plot', join(runs, 'lr-0.5'), ...args, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return readFile(out, 'utf8');
  };

  it('--x-axis (--x, -x): iteration, epoch, samples (iteration x batch size, from run.json) or seconds on every chart', async () => {
    const titles = { iteration: 'iteration', epoch: 'epoch', samples: 'training samples (iteration × batch size)', seconds: 'wall time (seconds)' };
    for (const [x, title] of Object.entries(titles)) {
      const svg = await plot(['--x', x]);
      expect(svg.match(new RegExp(`>${title.replace(/[()]/g, '\\$&')}</text>`, 'g'))).toHaveLength(3);
    }
    // 3 epochs of 30 steps of 20 samples: the epoch charts' x runs from 600 to 1800 samples, with no padding beyond.
    const samples = axisLabels(await plot(['-x', 'samples', '--metric', 'acc'])).map((label) => Number(label.replace(/,/g, '')));
    const xs = samples.filter((v) => v >= 100);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(600);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1800);
  });

  it('the epoch axis runs from the first epoch to the last, not from 0 to a round number', async () => {
    const labels = axisLabels(await plot(['--metric', 'acc']));
    expect(labels.slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('--y-range A:B sets the y axis; --log-y draws it logarithmic', async () => {
    const ranged = axisLabels(await plot(['--metric', 'acc', '--y-range', '0.5:0.9'])).slice(3).map(Number);
    expect(ranged[0]).toBe(0.5);
    expect(ranged.at(-1)).toBe(0.9);
    const log = axisLabels(await plot(['--metric', 'loss', '--log-y', '--x', 'epoch']));
    const linear = axisLabels(await plot(['--metric', 'loss', '--x', 'epoch']));
    expect(log).not.toEqual(linear);
    expect(linear).toContain('0.0'); // the step loss from 0 on a linear axis; never on a log one
    expect(log).not.toContain('0.0');
  });

  it('bad values: one line naming the flag, exit 2', async () => {
    const cases: [string[], string][] = [
      [['--x', 'steps'], 'rxnn: --x-axis: expected iteration, epoch, samples, seconds, got "steps"\n'],
      [['--x-axis', 'steps'], 'rxnn: --x-axis: expected iteration, epoch, samples, seconds, got "steps"\n'],
      [['--y-range', '1:0'], 'rxnn: --y-range: expected A:B, two numbers with A below B (e.g. 0.9:1), got "1:0"\n'],
      [['--y-range', '0.5'], 'rxnn: --y-range: expected A:B, two numbers with A below B (e.g. 0.9:1), got "0.5"\n'],
      [['--y-range'], 'rxnn: --y-range: expected A:B, two numbers with A below B (e.g. 0.9:1), got ""\n'],
      [['--y-range', '0:1', '--log-y'], 'rxnn: --y-range: with --log-y the range must start above 0, got 0:1\n'],
    ];
    for (const [args, message] of cases) {
      const result = await runRxnn(['plot', join(runs, 'lr-0.1'), ...args, '--out', join(slice.dir, 'bad.svg')]);
      expect([result.status, result.stderr]).toEqual([2, message]);
    }
    // --x samples needs the batch size from run.json: a folder of CSVs alone is refused, naming the file.
    const bare = join(slice.dir, 'bare');
    await mkdir(bare, { recursive: true });
    for (const file of ['epochs.csv', 'steps.csv']) await copyFile(join(runs, 'lr-0.1', file), join(bare, file));
    const result = await runRxnn(['plot', bare, '--x', 'samples', '--out', join(slice.dir, 'bad.svg')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rxnn: ${join(bare, 'run.json')}: missing: not an rxnn run folder (or one started before run.json existed)\n`);
    expect((await runRxnn(['plot', bare, '--x-axis', 'epoch', '--out', join(slice.dir, 'bare.svg')])).status).toBe(0);
  });
});

describe('rxnn runs', () => {
  it('tables the runs: the settings that differ, final and best accuracy, duration, status; --csv for scripts', async () => {
    const csv = await runRxnn(['runs', runs, '--csv']);
    expect(csv.status).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\n').map((l) => l.split(','));
    expect(header).toEqual(['run', 'lr', 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'best_epoch', 'seconds', 'status']);
    const rows = lines.map((cells) => Object.fromEntries(header!.map((column, i) => [column, cells[i]!])));
    // Newest first: the two runs were started at the same time, so their run.json says which was.
    const started = async (run: string): Promise<string> => JSON.parse(await readFile(join(runs, run, 'run.json'), 'utf8')).started;
    const newest = (await started('lr-0.1')) > (await started('lr-0.5')) ? ['lr-0.1', 'lr-0.5'] : ['lr-0.5', 'lr-0.1'];
    expect(rows.map((r) => [r['run'], r['lr'], r['epochs'], r['status']])).toEqual(newest.map((run) => [run, run.slice(3), '3', 'completed']));
    for (const row of rows) {
      const epochs = await readEpochsCsv(join(runs, row['run']!, 'epochs.csv'));
      expect(Number(row['test_acc'])).toBe(epochs.at(-1)!.test_acc);
      expect(Number(row['best_test_acc'])).toBe(Math.max(...epochs.map((e) => e.test_acc)));
    }
    const text = await runRxnn(['runs', runs]);
    expect(text.stdout.split('\n')[0]).toMatch(/^run\s+lr\s+epochs\s+train_acc\s+test_acc\s+best_test_acc\s+best_epoch\s+seconds\s+status$/);

    const json = await runRxnn(['runs', runs, '--json']);
    expect(json.status).toBe(0);
    const listed = JSON.parse(json.stdout);
    expect(listed.map((r: { run: string }) => r.run)).toEqual(newest);
    // Settings in the flags' form, as the banner shows them.
    expect(listed[0].settings).toMatchObject({ init: 'normal:0.1', hidden: '20', lrSchedule: 'constant', batchSize: '20' });
    expect(listed[0]).toMatchObject({ status: 'completed', epochs: 3, best_epoch: expect.any(Number) });
  });

  it('leaves out the least needed columns until the table fits the terminal', () => {
    const rows = [
      ['run', 'lr', 'init', 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'best_epoch', 'seconds', 'status'],
      ['2026-12-03T08-20-07Z', '0.1', 'normal:0.01', '17', '0.9494', '0.9474', '0.9474', '17', '5.4', 'completed'],
    ];
    expect(fitColumns(rows, undefined)[0]).toHaveLength(10);
    expect(fitColumns(rows, 200)[0]).toHaveLength(10);
    for (let width = 40; width <= 120; width++) {
      const fitted = fitColumns(rows, width);
      expect(fitted[0]!.slice(0, 1)).toEqual(['run']);
      expect(fitted[0]).toContain('test_acc');
      const widths = fitted[0]!.map((_, c) => Math.max(...fitted.map((r) => r[c]!.length)));
      if (fitted[0]!.length > 3) expect(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)).toBeLessThanOrEqual(width);
    }
    expect(fitColumns(rows, 60)[0]).toEqual(['run', 'lr', 'init', 'test_acc', 'status']);
  });
});
