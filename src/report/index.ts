export { readRunMetrics, runNames, type RunMetrics } from './run-metrics.js';
export { movingAverage } from './smooth.js';
export { CHARTS, chartsFor, METRICS, type ChartName, type MetricChoice, type NamedRun } from './chart-specs.js';
export { renderSvg, svgToPng } from './render.js';
export { DEFAULT_SMOOTH, PLOT_FORMATS, PLOTS_DIR, writePlots, type PlotFormat, type PlotOptions } from './write-plots.js';
export { differingSettings, summarizeRuns, type RunSummary } from './run-summaries.js';
export { EPOCH_TABLE, STEP_TABLE, EPOCHS_CSV, STEPS_CSV, formatMetric, formatMetricRow, metricTable, parseMetricRows, type EpochFigures, type StepFigures, type MetricRow, type EpochRow, type StepRow, type EpochColumn, type MetricTable } from '../core/metric-rows.js';
export { aggregateOverSeeds, hasSeedRepeats, meanStd, type MeanStd, type SeedGroup } from './seed-aggregate.js';
