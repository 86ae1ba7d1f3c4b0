import { evalFigureSpec, type EvalFigureInput } from './eval-figure.js';
import { formatOf, writeFigure, type PlotFormat } from './picture-file.js';

export { type EvalFigureInput } from './eval-figure.js';

/** How many of the most confident mistakes `rxnn eval --plot` draws. */
export const PLOTTED_MISTAKES = 24;

/**
 * Draws an evaluation (the confusion matrix as a heat map and the most
 * confidently misclassified images) to `path`, as SVG or PNG by its
 * extension unless `format` says; the file is replaced whole.
 */
export async function writeEvalPlot(path: string, input: EvalFigureInput, format: PlotFormat = formatOf(path)): Promise<void> {
  await writeFigure(path, evalFigureSpec(input), format);
}
