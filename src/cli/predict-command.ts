import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../core/errors.js';
import { argmaxRows, softmaxRows } from '../model/predictions.js';
import { loadCheckpoint, SCORING_ROWS, type LoadedCheckpoint } from '../run/load-checkpoint.js';
import type { IdxConsumerFactory } from '../sources/idx-chunks.js';
import { checkFiniteImages, checkFiniteValues, eachBatch } from '../sources/idx-consumers.js';
import type { IdxData } from '../sources/idx-format.js';
import { rereadIdx } from '../sources/idx-reread.js';
import { readIdxSource } from '../sources/idx-source.js';
import { checkpointBackendOption } from './backend-option.js';
import { createDownloadProgress } from './download-progress.js';
import { writeOut } from './output.js';
import { parseChoice, parseInteger, parsePath } from './parse-flags.js';
import { sourceOptions, sourceOptionsFrom, type SourceArgs } from './source-options.js';
import { stoppable } from './stop-signals.js';
import { bundledMnist } from '../sources/mnist.js';
import { UsageError } from './usage-error.js';
import type { Backend } from '../model/kernels/backends.js';
import type { SimdChoice } from '../model/kernels/wasm-module.js';

export interface PredictArgs extends SourceArgs {
  checkpoint: string;
  backend?: Backend;
  simd?: SimdChoice;
  threads: number;
  images?: string;
  top?: number;
  format: 'csv' | 'json';
}

export const predictCommand: CommandModule<object, PredictArgs> = {
  command: 'predict <checkpoint>',
  describe: 'classify images with a checkpoint: one line per image with the predicted class and probabilities',
  builder: (y) =>
    sourceOptions(
      checkpointBackendOption(
        y
          .positional('checkpoint', { type: 'string', describe: 'a .safetensors checkpoint written by rxnn train', coerce: parsePath('checkpoint') })
          .option('images', {
            type: 'string',
            group: 'Options:',
            describe: 'IDX images, path or URL, plain or gzip (default: the bundled MNIST test images)',
            coerce: parsePath('images'),
          })
          .option('top', { group: 'Options:', describe: 'only the K most probable classes, most probable first (default: every class in order)', coerce: parseInteger('top') })
          .option('format', {
            group: 'Options:',
            choices: ['csv', 'json'],
            describe: 'csv: a header, then index,predicted,p_class_0..p_class_N (with --top: rank_1_class,rank_1_p, ...); json: one JSON object per line',
            default: 'csv' as const,
            coerce: parseChoice('format', ['csv', 'json'] as const),
          })
          .example('$0 predict CHECKPOINT --top 3 | head', 'the 3 likeliest classes of the first test images')
          .example('$0 predict CHECKPOINT --images FILE', 'your own images (IDX), one CSV row each'),
      ),
    ) as unknown as Argv<PredictArgs>,
  handler: (args) => stoppable((signal) => predict(args, signal)),
};

/**
 * Streams the images in batches of SCORING_ROWS: memory holds one batch,
 * whatever the file's size. A file (or a URL, through the cache) is checked
 * whole first (size, digest, finite values) and then read again for the
 * predictions; a pipe can be read once, so it is predicted as it is checked.
 */
async function predict(args: PredictArgs, signal: AbortSignal): Promise<void> {
  const images = args.images ?? bundledMnist().test.images;
  const loaded = await loadCheckpoint(args.checkpoint, { backend: args.backend, simd: args.simd, threads: args.threads });
  const classes = loaded.network.classes;
  if (args.top !== undefined && !(args.top >= 1 && args.top <= classes)) {
    throw new UsageError(`--top: expected 1 to ${classes} (the checkpoint's classes), got ${args.top}`);
  }
  const source = { ...sourceOptionsFrom(args, [images], createDownloadProgress(process.stderr)), signal };
  const predictions = predictionWriter(loaded, args);
  const streamed: IdxConsumerFactory<Promise<number> | undefined> = (header, context) => {
    const inputSize = header.dims.slice(1).reduce((a, b) => a * b, 1);
    if (header.dims.length < 2 || inputSize !== loaded.inputSize) {
      throw new InputError(`${images}: images have ${inputSize} values, the checkpoint's network takes ${loaded.inputSize}`);
    }
    if (header.dims[0] === 0) throw new InputError(`${images}: holds no images`);
    return eachBatch(header, SCORING_ROWS, (values, first, rows) => predictions(values, first, rows, context.name));
  };
  const checked = await readIdxSource(images, source, (header, context) =>
    context.rereadable ? checkFiniteValues(header, context) : streamed(header, context),
  );
  await (checked.result ?? (await rereadIdx(checked.facts, streamed))?.result);
}

/** Writes the lines of one batch of images (the CSV header before the first), waiting until stdout took them. */
function predictionWriter(loaded: LoadedCheckpoint, args: PredictArgs) {
  const classes = loaded.network.classes;
  const { scale, offset } = loaded.normalization;
  const line = lineWriter(args.format, classes, args.top);
  return async (values: IdxData, first: number, rows: number, name: string): Promise<void> => {
    const inputSize = loaded.inputSize;
    checkFiniteImages(values, inputSize, name, first * inputSize);
    const x = new Float32Array(rows * inputSize);
    for (let i = 0; i < x.length; i++) x[i] = values[i]! * scale + offset;
    const logits = loaded.network.logits(x, rows);
    const probabilities = softmaxRows(logits, rows, classes);
    const predicted = argmaxRows(logits, rows, classes);
    let text = first === 0 && args.format === 'csv' ? `${csvHeader(classes, args.top)}\n` : '';
    for (let r = 0; r < rows; r++) text += `${line(first + r, predicted[r]!, probabilities.subarray(r * classes, (r + 1) * classes))}\n`;
    await writeOut(text);
  };
}

function csvHeader(classes: number, top: number | undefined): string {
  const columns = top === undefined
    ? Array.from({ length: classes }, (_, c) => `p_class_${c}`)
    : Array.from({ length: top }, (_, k) => [`rank_${k + 1}_class`, `rank_${k + 1}_p`]).flat();
  return ['index', 'predicted', ...columns].join(',');
}

function lineWriter(format: 'csv' | 'json', classes: number, top: number | undefined) {
  return (index: number, predicted: number, p: Float64Array): string => {
    const ranked = top === undefined ? undefined : rankClasses(p, classes).slice(0, top);
    if (format === 'json') {
      const detail = ranked === undefined ? { probabilities: Array.from(p) } : { top: ranked.map((c) => ({ class: c, p: p[c]! })) };
      return JSON.stringify({ index, predicted, ...detail });
    }
    const cells = ranked === undefined ? Array.from(p) : ranked.flatMap((c) => [c, p[c]!]);
    return [index, predicted, ...cells].join(',');
  };
}

/** Classes by falling probability; ties keep the lower class first, as the prediction does. */
function rankClasses(p: Float64Array, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => c).sort((a, b) => p[b]! - p[a]! || a - b);
}
