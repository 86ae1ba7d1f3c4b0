import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { METRICS, type MetricChoice } from '../report/chart-specs.js';
import { DEFAULT_SMOOTH, PLOT_FORMATS, writePlots, type PlotFormat } from '../report/write-plots.js';
import { X_AXES, type XAxis } from '../report/x-axis.js';
import { parseChoice, parseInteger, parsePath, parseRange } from './parse-flags.js';

export interface PlotArgs {
  dirs: string[];
  out?: string;
  format?: PlotFormat;
  metric: MetricChoice;
  smooth: number;
  xAxis?: XAxis;
  logY: boolean;
  yRange?: [number, number];
}

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <dirs..>',
  describe: 'draw the curves of one or more run folders (step loss raw and smoothed, accuracy and loss per epoch) as SVG and PNG',
  builder: (y) =>
    y
      .positional('dirs', { describe: 'run folders; several overlay in one picture, a legend naming each', type: 'string', array: true, default: undefined })
      .coerce('dirs', (values: unknown[]) => values.map((v) => parsePath('dirs')(v)))
      .option('out', {
        group: 'Options:',
        describe: 'one file holding every chart chosen (default: one file per chart in DIR/plots, or ./plots for several runs)',
        coerce: parsePath('out'),
      })
      .option('format', {
        group: 'Options:',
        choices: PLOT_FORMATS,
        describe: 'svg or png (default: both, or from the --out file name)',
        coerce: parseChoice('format', PLOT_FORMATS),
      })
      .option('metric', {
        group: 'Options:',
        choices: METRICS,
        describe: 'loss: step loss and loss per epoch; acc: accuracy per epoch; all: every chart.',
        default: 'all' as MetricChoice,
        coerce: parseChoice('metric', METRICS),
      })
      .option('smooth', {
        group: 'Options:',
        describe: 'steps in the moving average drawn over the raw step loss (1: none)',
        default: DEFAULT_SMOOTH,
        coerce: parseInteger('smooth'),
      })
      .option('x-axis', {
        alias: 'x',
        group: 'Options:',
        choices: X_AXES,
        describe: 'what x counts on every chart; samples (iteration x batch size) compares runs of different batch sizes, seconds is wall time (default: iteration for the step loss, epoch for the others)',
        coerce: parseChoice('x-axis', X_AXES),
      })
      .option('log-y', { group: 'Options:', type: 'boolean', default: false, describe: 'a logarithmic y axis' })
      .option('y-range', {
        group: 'Options:',
        type: 'string',
        describe: 'the y axis from A to B on every chart, lines clipped to it, e.g. 0.95:1 (default: fitted to the data; accuracy zoomed to its top 90%, up to 1)',
        coerce: parseRange('y-range'),
      })
      .example('$0 plot runs/lesson', 'its charts, in runs/lesson/plots')
      .example('$0 plot runs/a runs/b --out ab.png', 'two runs in one picture')
      .example('$0 plot runs/b64 runs/b256 -x samples', 'batch sizes, by samples seen') as unknown as Argv<PlotArgs>,
  handler: async (args) => {
    const written = await writePlots(args.dirs, { out: args.out, format: args.format, metric: args.metric, smooth: args.smooth, x: args.xAxis, logY: args.logY, yRange: args.yRange });
    await writeOut(written.map((path) => `${path}\n`).join(''));
  },
};
