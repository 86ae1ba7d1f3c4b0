import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from './chart-specs.js';

// vega, vega-lite and resvg are imported when a chart is drawn, not when the
// CLI starts: they cost about half a second and 50 MB to load.

const require = createRequire(import.meta.url);
/** A font shipped as a dependency, so a PNG's text looks the same on every machine, fonts installed or not. */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((name) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`));

/** Vega-Lite's compile-time notes are about the spec, which is ours: not for users' terminals. */
const SILENT = {
  level: () => SILENT,
  error: () => SILENT,
  warn: () => SILENT,
  info: () => SILENT,
  debug: () => SILENT,
} as unknown as NonNullable<Parameters<typeof import('vega-lite').compile>[1]>['logger'];

/** Compiles Vega-Lite and renders it to SVG headlessly (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec, { logger: SILENT }).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG to PNG at `scale` pixels per SVG unit. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
