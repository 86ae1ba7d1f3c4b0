import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIdxFile } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
let checkpoint: string;
const testSet = (): string[] => ['--images', slice.testImages, '--labels', slice.testLabels];

beforeAll(async () => {
  slice = await writeMnistSlice(600, 300);
  const out = join(slice.dir, 'run');
  const train = await runRxnn([
    'train', '--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels,
    '--epochs', '2', '--hidden', '20', '--batch-size', '20', '--quiet', '--out', out,
  ]);
  expect(train.status).toBe(0);
  checkpoint = join(out, 'checkpoints', 'epoch-0002.safetensors');
});

/** The test images the checkpoint gets wrong, most confident first (ties: lower index), from rxnn predict's probabilities. */
async function mistakesByPredict(): Promise<{ index: number; label: number; predicted: number; p: number }[]> {
  const predict = await runRxnn(['predict', checkpoint, '--images', slice.testImages]);
  expect(predict.status).toBe(0);
  const labels = (await readIdxFile(slice.testLabels)).data;
  const [, ...lines] = predict.stdout.trimEnd().split('\n');
  return lines
    .map((line) => line.split(',').map(Number))
    .map(([index, predicted, ...p]) => ({ index: index!, label: labels[index!]!, predicted: predicted!, p: p[predicted!]! }))
    .filter((row) => row.label !== row.predicted)
    .sort((a, b) => b.p - a.p || a.index - b.index);
}

describe('rxnn eval --plot', () => {
  it('draws the confusion counts eval reports and the most confident mistakes predict finds, as SVG', async () => {
    const out = join(slice.dir, 'pictures', 'eval.svg');
    const result = await runRxnn(['eval', checkpoint, ...testSet(), '--json', '--plot', out]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.plot).toBe(out);
    const svg = await readFile(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>Confusion matrix</text>');
    expect(svg).toContain(`300 images, accuracy ${report.accuracy.toFixed(4)}`);
    // Every count of the matrix is written in its cell: the text marks of the heat map, row by row.
    const cellTexts = [...svg.matchAll(/<g class="mark-text role-mark[^"]*"[^>]*>(.*?)<\/g>/g)][0]![1]!;
    const counts = [...cellTexts.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual(report.confusion.flat());

    const expected = (await mistakesByPredict()).slice(0, 24);
    expect(expected.length).toBe(24);
    const captions = [...svg.matchAll(/>true (\d+) → (\d+)<\/text>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const numbers = [...svg.matchAll(/>p ([\d.]+) {2}#(\d+)<\/text>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(captions).toEqual(expected.map((m) => [m.label, m.predicted]));
    expect(numbers.map(([, index]) => index)).toEqual(expected.map((m) => m.index));
    numbers.forEach(([p], i) => expect(Math.abs(p! - expected[i]!.p)).toBeLessThan(0.001));
    expect(svg).toContain('>The 24 most confident mistakes</text>');
  });

  it('writes a PNG of real size, the text report naming it; the same numbers as without --plot', async () => {
    const out = join(slice.dir, 'eval.png');
    const [plotted, plain] = await Promise.all([runRxnn(['eval', checkpoint, ...testSet(), '--plot', out]), runRxnn(['eval', checkpoint, ...testSet()])]);
    expect(plotted.status).toBe(0);
    expect(plotted.stdout).toBe(`${plain.stdout}plot       ${out}\n`);
    const png = PNG.sync.read(await readFile(out));
    // The heat map (10 cells of 44) and six images of 28 x 4 side by side, at 2 pixels per unit.
    expect(png.width).toBeGreaterThan(2 * (440 + 6 * 112));
    expect(png.height).toBeGreaterThan(2 * 440);
    let black = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 30 && png.data[i + 1]! < 30 && png.data[i + 2]! < 30) black++;
    expect(black).toBeGreaterThan(24 * 50 * 4); // the digits' ink: at least 50 image pixels of each of the 24 images, 4 PNG pixels each
  });

  it('refuses a file name that is not .png or .svg before scoring anything (exit 2, one line)', async () => {
    const result = await runRxnn(['eval', checkpoint, '--plot', join(slice.dir, 'eval.jpg')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rxnn: --plot: expected a file name ending in .png or .svg, got "${join(slice.dir, 'eval.jpg')}"\n`);
    expect(result.stdout).toBe('');
  });
});
