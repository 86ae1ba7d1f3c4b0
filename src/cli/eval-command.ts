import { basename } from 'node:path';
import { lastValueFrom } from 'rxjs';
import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { stoppable } from './stop-signals.js';
import { evaluateClasses, type ClassMetrics } from '../model/evaluate-classes.js';
import { minibatch } from '../operators/minibatch.js';
import { normalize } from '../operators/normalize.js';
import { loadCheckpoint, SCORING_ROWS } from '../run/load-checkpoint.js';
import { loadDataset } from '../sources/dataset.js';
import { bundledMnist } from '../sources/mnist.js';
import { samples } from '../sources/samples.js';
import { InputError } from '../core/errors.js';
import { createDownloadProgress } from './download-progress.js';
import { parsePath, parsePictureFile } from './parse-flags.js';
import { PLOTTED_MISTAKES, writeEvalPlot } from '../report/write-eval-plot.js';
import { sourceOptions, sourceOptionsFrom, type SourceArgs } from './source-options.js';

import { checkpointBackendOption } from './backend-option.js';
import type { Backend } from '../model/kernels/backends.js';
import type { SimdChoice } from '../model/kernels/wasm-module.js';

export interface EvalArgs extends SourceArgs {
  checkpoint: string;
  backend?: Backend;
  simd?: SimdChoice;
  threads: number;
  images?: string;
  labels?: string;
  json: boolean;
  plot?: string;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval <checkpoint>',
  describe: 'score a checkpoint: accuracy, loss, per-class accuracy and the confusion matrix (default data: the bundled test set)',
  builder: (y) =>
    sourceOptions(
      checkpointBackendOption(
        y
          .positional('checkpoint', { type: 'string', describe: 'a .safetensors checkpoint written by rxnn train', coerce: parsePath('checkpoint') })
          .option('images', { type: 'string', group: 'Options:', describe: 'IDX images, path or URL (default: the bundled MNIST test images)', coerce: parsePath('images') })
          .option('labels', { type: 'string', group: 'Options:', describe: 'IDX labels, path or URL (default: the bundled MNIST test labels)', coerce: parsePath('labels') })
          .option('json', { type: 'boolean', group: 'Options:', default: false, describe: 'print one JSON object for scripts instead of text' })
          .option('plot', {
            type: 'string',
            group: 'Options:',
            describe: `also draw the confusion matrix as a heat map and the ${PLOTTED_MISTAKES} most confidently misclassified images into FILE (.png or .svg)`,
            coerce: parsePictureFile('plot'),
          })
          .example('$0 eval CHECKPOINT', 'accuracy, loss, confusion matrix (bundled test set)')
          .example('$0 eval CHECKPOINT --json', 'the same as one JSON object, for scripts')
          .example('$0 eval CHECKPOINT --plot eval.png', 'also the confusion heat map and the worst mistakes'),
      ),
    ) as unknown as Argv<EvalArgs>,
  handler: (args) => stoppable((signal) => evaluateCheckpoint(args, signal)),
};

async function evaluateCheckpoint(args: EvalArgs, signal: AbortSignal): Promise<void> {
  const { test } = bundledMnist();
  const files = { images: args.images ?? test.images, labels: args.labels ?? test.labels };
  const source = { ...sourceOptionsFrom(args, [files.images, files.labels], createDownloadProgress(process.stderr)), signal };
  const loaded = await loadCheckpoint(args.checkpoint, { backend: args.backend, simd: args.simd, threads: args.threads });
  const data = await loadDataset(files, { classes: loaded.network.classes, source });
  if (data.inputSize !== loaded.inputSize) {
    throw new InputError(`${files.images}: images have ${data.inputSize} values, the checkpoint's network takes ${loaded.inputSize}`);
  }
  const batches = samples(data).pipe(minibatch({ size: SCORING_ROWS }), normalize(loaded.normalization));
  const metrics = await lastValueFrom(evaluateClasses(loaded.network, batches, { mistakes: args.plot === undefined ? 0 : PLOTTED_MISTAKES }));
  if (args.plot !== undefined) {
    await writeEvalPlot(args.plot, {
      subject: `${basename(args.checkpoint)} on ${basename(files.images)}`,
      count: metrics.count,
      accuracy: metrics.accuracy,
      confusion: metrics.confusion,
      mistakes: metrics.mistakes,
      imageShape: imageShapeOf(data.shape),
    });
  }
  const report = {
    checkpoint: args.checkpoint,
    epoch: loaded.epoch,
    iteration: loaded.iteration,
    images: files.images,
    labels: files.labels,
    count: metrics.count,
    accuracy: metrics.accuracy,
    loss: metrics.loss,
    class_accuracy: metrics.classAccuracy,
    confusion: metrics.confusion,
    ...(args.plot === undefined ? {} : { plot: args.plot }),
  };
  await writeOut(args.json ? `${JSON.stringify(report)}\n` : describe(report, metrics));
}

/** The height and width an image is drawn with: the last two dimensions of an image, a vector as a square if it is one, else as a row. */
function imageShapeOf(shape: readonly number[]): [number, number] {
  if (shape.length >= 2) return [shape[shape.length - 2]!, shape[shape.length - 1]!];
  const size = shape[0] ?? 1;
  const side = Math.round(Math.sqrt(size));
  return side * side === size ? [side, side] : [1, size];
}

function describe(report: { checkpoint: string; epoch?: number | undefined; images: string; plot?: string }, m: ClassMetrics): string {
  const width = Math.max(5, String(Math.max(...m.confusion.flat())).length + 1);
  const pad = (text: string | number): string => String(text).padStart(width);
  const classes = m.confusion.map((_, c) => c);
  return [
    `checkpoint ${report.checkpoint}${report.epoch === undefined ? '' : ` (epoch ${report.epoch})`}`,
    `data       ${report.images} (${m.count} images)`,
    `accuracy   ${m.accuracy.toFixed(4)}  (${m.confusion.reduce((sum, row, c) => sum + (row[c] ?? 0), 0)} of ${m.count} right)`,
    `loss       ${m.loss.toFixed(4)}  (mean cross-entropy; --json gives every digit)`,
    `per class  ${m.classAccuracy.map((a, c) => `${c}:${a.toFixed(4)}`).join(' ')}`,
    'confusion (rows: true class, columns: predicted)',
    `${pad('')}${classes.map(pad).join('')}`,
    ...m.confusion.map((row, c) => `${pad(c)}${row.map(pad).join('')}`),
    ...(report.plot === undefined ? [] : [`plot       ${report.plot}`]),
  ].join('\n') + '\n';
}
