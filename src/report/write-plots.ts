import { mkdir } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { InputError, SettingError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { chartsFor, figureSpec, type ChartName, type MetricChoice, type NamedRun } from './chart-specs.js';
import { renderSvg, svgToPng } from './render.js';
import { readRunMetrics, runNames } from './run-metrics.js';

export const PLOT_FORMATS = ['svg', 'png'] as const;
export type PlotFormat = (typeof PLOT_FORMATS)[number];
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
}

/**
 * Draws the curves of one or more run folders (from their CSVs) as SVG
 * and/or PNG; several runs overlay, a legend naming each. Returns the paths
 * written. Every file is replaced whole, so a viewer never sees half a picture.
 */
export async function writePlots(dirs: readonly string[], options: PlotOptions = {}): Promise<string[]> {
  if (dirs.length === 0) throw new InputError('name at least one run folder');
  const names = runNames(dirs);
  const runs: NamedRun[] = await Promise.all(dirs.map(async (dir, i) => ({ name: names[i]!, metrics: await readRunMetrics(dir) })));
  const charts = chartsFor(options.metric ?? 'all');
  const smooth = options.smooth ?? DEFAULT_SMOOTH;
  if (!(Number.isSafeInteger(smooth) && smooth >= 1)) throw new SettingError('smooth', `must be a whole number of steps, 1 or more, got ${smooth}`);
  if (options.out !== undefined) {
    const format = options.format ?? formatOf(options.out);
    await mkdir(dirname(options.out), { recursive: true });
    await writePicture(options.out, format, charts, runs, smooth);
    return [options.out];
  }
  const folder = dirs.length === 1 ? join(dirs[0]!, PLOTS_DIR) : PLOTS_DIR;
  await mkdir(folder, { recursive: true });
  const formats = options.format === undefined ? PLOT_FORMATS : [options.format];
  const written: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(figureSpec([chart], runs, smooth));
    for (const format of formats) {
      const path = join(folder, `${chart}.${format}`);
      await writeFileAtomic(path, await pictureBytes(svg, format));
      written.push(path);
    }
  }
  return written;
}

async function writePicture(path: string, format: PlotFormat, charts: readonly ChartName[], runs: readonly NamedRun[], smooth: number): Promise<void> {
  await writeFileAtomic(path, await pictureBytes(await renderSvg(figureSpec(charts, runs, smooth)), format));
}

async function pictureBytes(svg: string, format: PlotFormat): Promise<Uint8Array> {
  return format === 'svg' ? new TextEncoder().encode(svg) : await svgToPng(svg);
}

function formatOf(path: string): PlotFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if ((PLOT_FORMATS as readonly string[]).includes(ext)) return ext as PlotFormat;
  throw new InputError(`${path}: give --format svg or png, or a file name ending in .svg or .png`);
}
