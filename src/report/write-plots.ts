import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, SettingError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { chartsFor, figureSpec, type AxisOptions, type MetricChoice, type NamedRun } from './chart-specs.js';
import { formatOf, pictureBytes, PLOT_FORMATS, writeFigure, type PlotFormat } from './picture-file.js';
import { renderSvg } from './render.js';
import { readBatchSize, readRunMetrics, runNames } from './run-metrics.js';
import type { XAxis } from './x-axis.js';

export { PLOT_FORMATS, type PlotFormat } from './picture-file.js';
export const DEFAULT_SMOOTH = 50;
export const PLOTS_DIR = 'plots';

export interface PlotOptions {
  /** One file holding every chart selected; by default one file per chart in DIR/plots (or ./plots for several runs). */
  readonly out?: string | undefined;
  /** With `out`: the format (default: from its extension). Without: only this format (default: both). */
  readonly format?: PlotFormat | undefined;
  readonly metric?: MetricChoice | undefined;
  /** Steps in the moving average of the step loss (default 50; 1: none). */
  readonly smooth?: number | undefined;
  /** What x counts on every chart (default: iteration for the step loss, epoch for the others); `samples` needs each run's run.json. */
  readonly x?: XAxis | undefined;
  /** A logarithmic y axis. */
  readonly logY?: boolean | undefined;
  /** The y axis from A to B on every chart (A < B; A > 0 with logY). */
  readonly yRange?: readonly [number, number] | undefined;
}

/**
 * Draws the curves of one or more run folders (from their CSVs) as SVG
 * and/or PNG; several runs overlay, a legend naming each. Returns the paths
 * written. Every file is replaced whole, so a viewer never sees half a picture.
 */
export async function writePlots(dirs: readonly string[], options: PlotOptions = {}): Promise<string[]> {
  if (dirs.length === 0) throw new InputError('name at least one run folder');
  const smooth = options.smooth ?? DEFAULT_SMOOTH;
  if (!(Number.isSafeInteger(smooth) && smooth >= 1)) throw new SettingError('smooth', `must be a whole number of steps, 1 or more, got ${smooth}`);
  const axes: AxisOptions = { x: options.x, logY: options.logY, yRange: options.yRange };
  checkYRange(axes);
  const names = runNames(dirs);
  const runs: NamedRun[] = await Promise.all(
    dirs.map(async (dir, i) => ({
      name: names[i]!,
      metrics: await readRunMetrics(dir),
      batchSize: options.x === 'samples' ? await readBatchSize(dir) : undefined,
    })),
  );
  const charts = chartsFor(options.metric ?? 'all');
  if (options.out !== undefined) {
    await writeFigure(options.out, figureSpec(charts, runs, smooth, axes), options.format ?? formatOf(options.out));
    return [options.out];
  }
  const folder = dirs.length === 1 ? join(dirs[0]!, PLOTS_DIR) : PLOTS_DIR;
  await mkdir(folder, { recursive: true });
  const formats = options.format === undefined ? PLOT_FORMATS : [options.format];
  const written: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(figureSpec([chart], runs, smooth, axes));
    for (const format of formats) {
      const path = join(folder, `${chart}.${format}`);
      await writeFileAtomic(path, await pictureBytes(svg, format));
      written.push(path);
    }
  }
  return written;
}

function checkYRange({ yRange, logY }: AxisOptions): void {
  if (yRange === undefined) return;
  const [from, to] = yRange;
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new SettingError('yRange', `expected A:B with A below B, got ${from}:${to}`);
  if (logY === true && !(from > 0)) throw new SettingError('yRange', `with --log-y the range must start above 0, got ${from}:${to}`);
}
