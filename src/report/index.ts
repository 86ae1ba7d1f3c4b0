export { readRunMetrics, runNames, type EpochRow, type RunMetrics, type StepRow } from './run-metrics.js';
export { movingAverage } from './smooth.js';
export { CHARTS, chartsFor, METRICS, type ChartName, type MetricChoice, type NamedRun } from './chart-specs.js';
export { renderSvg, svgToPng } from './render.js';
export { DEFAULT_SMOOTH, PLOT_FORMATS, PLOTS_DIR, writePlots, type PlotFormat, type PlotOptions } from './write-plots.js';
export { differingSettings, summarizeRuns, type RunSummary } from './run-summaries.js';
