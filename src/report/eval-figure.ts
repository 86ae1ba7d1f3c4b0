import type { TopLevelSpec } from 'vega-lite';
import type { ConfidentMistake } from '../model/confident-mistakes.js';
import { FIGURE_CONFIG, SCHEMA } from './chart-specs.js';

/** What an evaluation's picture shows. */
export interface EvalFigureInput {
  /** What was scored, for the titles: e.g. "epoch-0017.safetensors on t10k-images-idx3-ubyte". */
  readonly subject: string;
  readonly count: number;
  readonly accuracy: number;
  /** confusion[true][predicted]: how many images. */
  readonly confusion: readonly (readonly number[])[];
  /** The most confident mistakes, most confident first, with the inputs the network saw. */
  readonly mistakes: readonly ConfidentMistake[];
  /** [height, width] of one image: the first height × width input values of a mistake are drawn. */
  readonly imageShape: readonly [number, number];
}

/** Mistakes per row of the grid. */
export const MISTAKE_COLUMNS = 6;
/** Screen pixels per image pixel (before the PNG's scale). */
const PIXEL = 4;
const GAP = 16;
const CAPTION = 34;
const INK_THRESHOLD = 0.02;

/**
 * The confusion matrix as a heat map (true class rows, predicted class
 * columns, the count in every cell, a symmetric-log colour scale so the few
 * mistakes show beside the many right answers), and beside it the most
 * confidently misclassified images, each captioned with its true and
 * predicted class, the probability given to the prediction and its index.
 */
export function evalFigureSpec(input: EvalFigureInput): TopLevelSpec {
  const panels = [confusionChart(input), ...(input.mistakes.length > 0 ? [mistakeGrid(input)] : [])];
  return {
    $schema: SCHEMA,
    hconcat: panels,
    spacing: 32,
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent' }, legend: { color: 'independent' } },
    config: FIGURE_CONFIG,
  } as TopLevelSpec;
}

/** The cells of the heat map, with whether a cell is dark enough for white text (over half the colour scale). */
export function confusionCells(confusion: readonly (readonly number[])[]): { actual: string; predicted: string; count: number; dark: boolean }[] {
  const max = Math.max(0, ...confusion.flat());
  return confusion.flatMap((row, actual) =>
    row.map((count, predicted) => ({ actual: String(actual), predicted: String(predicted), count, dark: max > 0 && Math.log1p(count) > 0.55 * Math.log1p(max) })),
  );
}

function confusionChart({ subject, count, accuracy, confusion }: EvalFigureInput): object {
  const classes = confusion.length;
  const labels = confusion.map((_, c) => String(c));
  const cell = Math.max(14, Math.min(44, Math.floor(440 / classes)));
  const digits = String(Math.max(0, ...confusion.flat())).length;
  const fontSize = Math.max(7, Math.min(13, Math.floor((cell * 1.6) / Math.max(digits, 2))));
  const axis = { labelAngle: 0, labelFontSize: Math.min(12, cell - 2), ticks: false, domain: false };
  return {
    title: { text: 'Confusion matrix', subtitle: [subject, `${count} images, accuracy ${accuracy.toFixed(4)}`] },
    width: cell * classes,
    height: cell * classes,
    data: { values: confusionCells(confusion) },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: labels, title: 'predicted class', axis: { ...axis, orient: 'top' } },
      y: { field: 'actual', type: 'ordinal', sort: labels, title: 'true class', axis },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            title: 'images',
            scale: { type: 'symlog', scheme: 'blues', domain: [0, Math.max(1, ...confusion.flat())] },
            legend: { orient: 'right', gradientLength: Math.max(120, cell * classes - 40), tickCount: 5 },
          },
        },
      },
      ...(cell >= 18
        ? [{ mark: { type: 'text', fontSize }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: '#222222' } } }]
        : []),
    ],
  };
}

/** How a probability is shown: three decimals, more while they would round to 1. */
export function formatProbability(p: number): string {
  let digits = 3;
  while (digits < 6 && p < 1 && p.toFixed(digits) === (1).toFixed(digits)) digits++;
  return p.toFixed(digits);
}

function mistakeGrid({ mistakes, imageShape }: EvalFigureInput): object {
  const [height, width] = imageShape;
  const columns = Math.min(MISTAKE_COLUMNS, mistakes.length);
  const rows = Math.ceil(mistakes.length / columns);
  const cellWidth = width * PIXEL + GAP;
  const cellHeight = height * PIXEL + CAPTION + GAP;
  const pixels: { x: number; x2: number; y: number; y2: number; ink: number }[] = [];
  const frames: { x: number; x2: number; y: number; y2: number }[] = [];
  const captions: { x: number; y: number; text: string; weight: string }[] = [];
  mistakes.forEach((mistake, i) => {
    const left = (i % columns) * cellWidth;
    const top = Math.floor(i / columns) * cellHeight;
    frames.push({ x: left, x2: left + width * PIXEL, y: top, y2: top + height * PIXEL });
    const values = mistake.input.subarray(0, height * width);
    const low = Math.min(...values);
    const range = Math.max(...values) - low;
    values.forEach((value, p) => {
      const ink = range > 0 ? (value - low) / range : 0;
      if (ink < INK_THRESHOLD) return;
      const x = left + (p % width) * PIXEL;
      const y = top + Math.floor(p / width) * PIXEL;
      // A quarter pixel of overlap, so no hairline of the background shows between neighbours once antialiased.
      pixels.push({ x, x2: x + PIXEL + 0.25, y, y2: y + PIXEL + 0.25, ink });
    });
    const middle = left + (width * PIXEL) / 2;
    captions.push(
      { x: middle, y: top + height * PIXEL + 4, text: `true ${mistake.label} → ${mistake.predicted}`, weight: 'bold' },
      { x: middle, y: top + height * PIXEL + 19, text: `p ${formatProbability(mistake.probability)}  #${mistake.index}`, weight: 'normal' },
    );
  });
  const totalWidth = columns * cellWidth - GAP;
  const totalHeight = rows * cellHeight - GAP;
  const position = (field: string, extent: number, reverse: boolean): object => ({
    field,
    type: 'quantitative',
    scale: { domain: [0, extent], nice: false, zero: false, reverse },
    axis: null,
  });
  const x = position('x', totalWidth, false);
  const y = position('y', totalHeight, true);
  return {
    title: {
      text: `The ${mistakes.length} most confident mistakes`,
      subtitle: ['true class → predicted class; the probability', 'given to the prediction; the image number'],
    },
    width: totalWidth,
    height: totalHeight,
    view: { stroke: null },
    layer: [
      {
        data: { values: pixels },
        mark: { type: 'rect', strokeWidth: 0, aria: false },
        encoding: {
          x,
          x2: { field: 'x2' },
          y,
          y2: { field: 'y2' },
          color: { field: 'ink', type: 'quantitative', scale: { domain: [0, 1], range: ['#ffffff', '#000000'] }, legend: null },
        },
      },
      {
        data: { values: frames },
        mark: { type: 'rect', fill: null, stroke: '#bbbbbb', strokeWidth: 1 },
        encoding: { x, x2: { field: 'x2' }, y, y2: { field: 'y2' } },
      },
      ...(['bold', 'normal'] as const).map((weight) => ({
        data: { values: captions.filter((c) => c.weight === weight) },
        mark: { type: 'text', align: 'center', baseline: 'top', fontSize: 12, fontWeight: weight },
        encoding: { x, y, text: { field: 'text' } },
      })),
    ],
  };
}
