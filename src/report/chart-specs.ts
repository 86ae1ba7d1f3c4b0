import type { TopLevelSpec } from 'vega-lite';
import type { PlottedEpochRow, RunMetrics, ValidationColumn } from './run-metrics.js';
import { movingAverage } from './smooth.js';
import { epochX, stepXs, X_TITLES, type XAxis } from './x-axis.js';
import { accuracyZoom } from './y-zoom.js';

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
  /** The run's batch size (from run.json), needed for the `samples` axis. */
  readonly batchSize?: number | undefined;
}

/** How the axes are drawn. */
export interface AxisOptions {
  /** What x counts (default: iteration for the step loss, epoch for the per-epoch charts). */
  readonly x?: XAxis | undefined;
  /** A logarithmic y axis (points at or below 0 are left out). */
  readonly logY?: boolean | undefined;
  /** The y axis from A to B, lines clipped to it; by default each chart fits its data (accuracy: zoomed to where most of it is). */
  readonly yRange?: readonly [number, number] | undefined;
}

export const FONT_FAMILY = 'DejaVu Sans';
const WIDTH = 640;
const HEIGHT = 300;

/** Fonts and sizes for legible text in SVG and PNG. */
export const FIGURE_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#cccccc' },
  title: { fontSize: 16, anchor: 'start' as const, offset: 10, subtitleFontSize: 12, subtitleColor: '#555555' },
  axis: { labelFontSize: 12, titleFontSize: 13, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 320 },
};

interface Point {
  readonly run: string;
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

/** A chart as a Vega-Lite layer (no config): one line per run and series. */
export function chartLayer(chart: ChartName, runs: readonly NamedRun[], smooth: number, axes: AxisOptions = {}): TopLevelSpec & object {
  switch (chart) {
    case 'loss':
      return stepLossChart(runs, smooth, axes);
    case 'accuracy':
      return epochChart(runs, axes, { title: () => 'Accuracy per epoch (full sets)', yTitle: 'accuracy', accuracy: true }, (r) => [
        ['train', r.train_acc],
        ['validation', validation(r, 'val_acc')],
        ['test', r.test_acc],
      ]);
    case 'epoch-loss':
      return epochChart(runs, axes, { title: (validated) => `Loss per epoch (train: mean step loss; ${validated ? 'validation and test' : 'test'}: full set)`, yTitle: 'cross-entropy loss', accuracy: false }, (r) => [
        ['train', r.train_loss],
        ['validation', validation(r, 'val_loss')],
        ['test', r.test_loss],
      ]);
  }
}

/**
 * A whole figure: the charts stacked, each with its own legend of the runs
 * (in the same colours), with fonts and sizes set for legible text in SVG and PNG.
 */
export function figureSpec(charts: readonly ChartName[], runs: readonly NamedRun[], smooth: number, axes: AxisOptions = {}): TopLevelSpec {
  const layers = charts.map((chart) => chartLayer(chart, runs, smooth, axes));
  if (layers.length === 1) return { ...layers[0]!, config: FIGURE_CONFIG } as TopLevelSpec;
  const independent = { color: 'independent', strokeDash: 'independent', strokeWidth: 'independent', opacity: 'independent' };
  return {
    $schema: SCHEMA,
    vconcat: layers.map(({ $schema: _, ...rest }) => rest),
    spacing: 40,
    resolve: { scale: independent, legend: independent },
    config: FIGURE_CONFIG,
  } as TopLevelSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The validation figure of an epoch row, when the run has one (epochs.csv's val_ columns, empty or absent without a validation set). */
function validation(row: PlottedEpochRow, column: ValidationColumn): number | undefined {
  const value = row[column];
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** The run colours: the same run in the same colour on every panel, named in each panel's legend. */
function runColour(runs: readonly NamedRun[]): object {
  const names = runs.map((r) => r.name);
  return { field: 'run', type: 'nominal', title: 'run', sort: names, scale: { domain: names } };
}

/** The x encoding: exactly the data's extent, no padding to 0 or to a round number. */
function xEncoding(axis: XAxis): object {
  return { field: 'x', type: 'quantitative', title: X_TITLES[axis], scale: { zero: false, nice: false }, axis: axis === 'epoch' ? { tickMinStep: 1 } : { tickCount: 6 } };
}

/** The y scale: the range asked for, else the chart's own fit (`domain`: a zoom); a log scale is never rounded out beyond the data. */
function yScale(axes: AxisOptions, fit: { readonly domain?: readonly number[]; readonly zero: boolean }): object {
  const log = axes.logY === true;
  if (axes.yRange !== undefined) return { ...(log ? { type: 'log' } : {}), domain: [...axes.yRange], nice: false, zero: false };
  if (log) return { type: 'log', nice: false, ...(fit.domain !== undefined && fit.domain[0]! > 0 ? { domain: [...fit.domain] } : {}) };
  return fit.domain === undefined ? { zero: fit.zero } : { domain: [...fit.domain], nice: false, zero: false };
}

function stepLossChart(runs: readonly NamedRun[], smooth: number, axes: AxisOptions): TopLevelSpec & object {
  const axis = axes.x ?? 'iteration';
  const values: Point[] = [];
  const smoothed = `smoothed (${smooth} steps)`;
  for (const { name, metrics, batchSize } of runs) {
    const averaged = movingAverage(metrics.steps.map((s) => s.loss), smooth);
    const xs = stepXs(metrics.steps, metrics.epochs, axis, { batchSize });
    metrics.steps.forEach((s, i) => {
      const x = xs[i];
      if (x === undefined) return;
      values.push({ run: name, series: 'raw', x, y: s.loss }, { run: name, series: smoothed, x, y: averaged[i]! });
    });
  }
  return {
    $schema: SCHEMA,
    title: smooth > 1 ? `Training loss per step (raw, and smoothed over ${smooth} steps)` : 'Training loss per step',
    width: WIDTH,
    height: HEIGHT,
    data: { values: plotted(values, axes) },
    mark: { type: 'line', clip: true },
    encoding: {
      x: xEncoding(axis),
      y: { field: 'y', type: 'quantitative', title: 'cross-entropy loss', scale: yScale(axes, { zero: true }) },
      color: runColour(runs),
      detail: { field: 'series', type: 'nominal' },
      opacity: { field: 'series', type: 'nominal', sort: ['raw', smoothed], legend: null, scale: { domain: ['raw', smoothed], range: [0.3, 1] } },
      strokeWidth: { field: 'series', type: 'nominal', sort: ['raw', smoothed], legend: null, scale: { domain: ['raw', smoothed], range: [1, 2.5] } },
    },
  } as TopLevelSpec & object;
}

const SETS = ['train', 'validation', 'test'] as const;
const DASHES: Readonly<Record<(typeof SETS)[number], number[]>> = { train: [1, 0], validation: [2, 2], test: [6, 3] };

function epochChart(
  runs: readonly NamedRun[],
  axes: AxisOptions,
  chart: { readonly title: (validated: boolean) => string; readonly yTitle: string; readonly accuracy: boolean },
  pick: (row: PlottedEpochRow) => [(typeof SETS)[number], number | undefined][],
): TopLevelSpec & object {
  const axis = axes.x ?? 'epoch';
  const values: Point[] = [];
  for (const { name, metrics, batchSize } of runs) {
    for (const row of metrics.epochs) {
      const x = epochX(row, axis, { batchSize });
      for (const [series, y] of pick(row)) if (y !== undefined) values.push({ run: name, series, x, y });
    }
  }
  const shown = plotted(values, axes);
  const sets = SETS.filter((set) => shown.some((p) => p.series === set));
  const zoom = chart.accuracy && axes.yRange === undefined ? accuracyZoom(shown.map((p) => p.y)) : undefined;
  const title = chart.title(sets.includes('validation'));
  const fit = zoom === undefined || (axes.logY === true && zoom.from <= 0) ? { zero: false } : { domain: [zoom.from, 1], zero: false };
  return {
    $schema: SCHEMA,
    title: zoom?.hidden === true ? { text: title, subtitle: `y axis from ${zoom.from}: lower points are cut off (--y-range shows them)` } : title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: shown },
    mark: { type: 'line', point: true, clip: true },
    encoding: {
      x: xEncoding(axis),
      y: { field: 'y', type: 'quantitative', title: chart.yTitle, scale: yScale(axes, fit) },
      color: { ...runColour(runs), legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: 'set',
        sort: sets,
        scale: { domain: sets, range: sets.map((set) => DASHES[set]) },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400, encode: { symbols: { update: { stroke: { value: '#444444' } } } } },
      },
    },
  } as TopLevelSpec & object;
}

/** The points a chart draws: on a log axis, those above 0. */
function plotted(values: Point[], axes: AxisOptions): Point[] {
  return axes.logY === true ? values.filter((p) => p.y > 0) : values;
}
