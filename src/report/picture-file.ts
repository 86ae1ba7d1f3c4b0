import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError } from '../core/errors.js';
import { renderSvg, svgToPng } from './render.js';

export const PLOT_FORMATS = ['svg', 'png'] as const;
export type PlotFormat = (typeof PLOT_FORMATS)[number];

/** The format a file name asks for by its extension, or undefined. */
export function formatFromName(path: string): PlotFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return (PLOT_FORMATS as readonly string[]).includes(ext) ? (ext as PlotFormat) : undefined;
}

/** The format of `path` by its extension; an InputError naming it otherwise. */
export function formatOf(path: string): PlotFormat {
  const format = formatFromName(path);
  if (format === undefined) throw new InputError(`${path}: give --format svg or png, or a file name ending in .svg or .png`);
  return format;
}

/** The file's bytes for an SVG drawing. */
export async function pictureBytes(svg: string, format: PlotFormat): Promise<Uint8Array> {
  return format === 'svg' ? new TextEncoder().encode(svg) : await svgToPng(svg);
}

/** Renders a Vega-Lite figure to `path` (its folder made if need be), replaced whole so a viewer never reads half a picture. */
export async function writeFigure(path: string, spec: TopLevelSpec, format: PlotFormat): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, await pictureBytes(await renderSvg(spec), format));
}
