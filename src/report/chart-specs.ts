import type { TopLevelSpec } from 'vega-lite';
import type { RunMetrics } from './run-metrics.js';
import { movingAverage } from './smooth.js';

export const CHARTS = ['loss', 'accuracy', 'epoch-loss'] as const;
export type ChartName = (typeof CHARTS)[number];

export const METRICS = ['loss', 'acc', 'all'] as const;
export type MetricChoice = (typeof METRICS)[number];

/** The charts `--metric` selects. */
export function chartsFor(metric: MetricChoice): ChartName[] {
  return metric === 'loss' ? ['loss', 'epoch-loss'] : metric === 'acc' ? ['accuracy'] : [...CHARTS];
}

export interface NamedRun {
  readonly name: string;
  readonly metrics: RunMetrics;
}

export const FONT_FAMILY = 'DejaVu Sans';
const WIDTH = 640;
const HEIGHT = 300;

interface Point {
  readonly run: string;
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

/** A chart as a Vega-Lite layer (no config): one line per run and series. */
export function chartLayer(chart: ChartName, runs: readonly NamedRun[], smooth: number): TopLevelSpec & object {
  switch (chart) {
    case 'loss':
      return stepLossChart(runs, smooth);
    case 'accuracy':
      return epochChart(runs, 'Accuracy per epoch (full sets)', 'accuracy', (r) => [['train', r.train_acc], ['test', r.test_acc]]);
    case 'epoch-loss':
      return epochChart(runs, 'Loss per epoch (train: mean step loss; test: full set)', 'cross-entropy loss', (r) => [['train', r.train_loss], ['test', r.test_loss]]);
  }
}

/** A whole figure: the charts stacked, with fonts and sizes set for legible text in SVG and PNG. */
export function figureSpec(charts: readonly ChartName[], runs: readonly NamedRun[], smooth: number): TopLevelSpec {
  const layers = charts.map((chart) => chartLayer(chart, runs, smooth));
  const config = {
    font: FONT_FAMILY,
    background: 'white',
    view: { stroke: '#cccccc' },
    title: { fontSize: 16, anchor: 'start' as const, offset: 10 },
    axis: { labelFontSize: 12, titleFontSize: 13, gridColor: '#e6e6e6' },
    legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 320 },
  };
  if (layers.length === 1) return { ...layers[0]!, config } as TopLevelSpec;
  return {
    $schema: SCHEMA,
    vconcat: layers.map(({ $schema: _, ...rest }) => rest),
    spacing: 40,
    resolve: { scale: { strokeDash: 'independent', strokeWidth: 'independent', opacity: 'independent' }, legend: { strokeDash: 'independent', strokeWidth: 'independent', opacity: 'independent' } },
    config,
  } as TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function stepLossChart(runs: readonly NamedRun[], smooth: number): TopLevelSpec & object {
  const values: Point[] = [];
  const smoothed = `smoothed (${smooth} steps)`;
  for (const { name, metrics } of runs) {
    const losses = metrics.steps.map((s) => s.loss);
    const averaged = movingAverage(losses, smooth);
    metrics.steps.forEach((s, i) => {
      values.push({ run: name, series: 'raw', x: s.iteration, y: s.loss });
      values.push({ run: name, series: smoothed, x: s.iteration, y: averaged[i]! });
    });
  }
  return {
    $schema: SCHEMA,
    title: smooth > 1 ? `Training loss per step (raw, and smoothed over ${smooth} steps)` : 'Training loss per step',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'iteration' },
      y: { field: 'y', type: 'quantitative', title: 'cross-entropy loss', scale: { zero: true } },
      color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.name) },
      detail: { field: 'series', type: 'nominal' },
      opacity: { field: 'series', type: 'nominal', sort: ['raw', smoothed], legend: null, scale: { domain: ['raw', smoothed], range: [0.3, 1] } },
      strokeWidth: { field: 'series', type: 'nominal', sort: ['raw', smoothed], legend: null, scale: { domain: ['raw', smoothed], range: [1, 2.5] } },
    },
  } as TopLevelSpec & object;
}

function epochChart(
  runs: readonly NamedRun[],
  title: string,
  yTitle: string,
  pick: (row: RunMetrics['epochs'][number]) => [string, number][],
): TopLevelSpec & object {
  const values: Point[] = [];
  for (const { name, metrics } of runs) {
    for (const row of metrics.epochs) for (const [series, y] of pick(row)) values.push({ run: name, series, x: row.epoch, y });
  }
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.name), legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: 'set',
        sort: ['train', 'test'],
        scale: { domain: ['train', 'test'], range: [[1, 0], [6, 3]] },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400, encode: { symbols: { update: { stroke: { value: '#444444' } } } } },
      },
    },
  } as TopLevelSpec & object;
}
