import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { argmaxRows, softmaxRows } from '../model/predictions.js';
import { loadCheckpoint } from '../run/load-checkpoint.js';
import { readIdx } from '../sources/idx-file.js';
import { createDownloadProgress } from './download-progress.js';
import { parseChoice, parseInteger, parsePath } from './parse-flags.js';
import { sourceOptions, sourceOptionsFrom, type SourceArgs } from './source-options.js';
import { UsageError } from './usage-error.js';

import { checkpointBackendOption } from './backend-option.js';
import type { Backend } from '../model/kernels/backends.js';
import type { SimdChoice } from '../model/kernels/wasm-module.js';

export interface PredictArgs extends SourceArgs {
  checkpoint: string;
  backend?: Backend;
  simd?: SimdChoice;
  threads: number;
  images: string;
  top?: number;
  format: 'csv' | 'json';
}

const ROWS = 1000;

export const predictCommand: CommandModule<object, PredictArgs> = {
  command: 'predict <checkpoint>',
  describe: 'classify images with a checkpoint: one line per image with the predicted class and probabilities',
  builder: (y) =>
    sourceOptions(
      checkpointBackendOption(y)
        .positional('checkpoint', { type: 'string', describe: 'a .safetensors checkpoint written by rxnn train', coerce: parsePath('checkpoint') })
        .option('images', { type: 'string', demandOption: true, describe: 'IDX images, path or URL, plain or gzip', coerce: parsePath('images') })
        .option('top', { describe: 'only the K most probable classes, most probable first (default: every class in order)', coerce: parseInteger('top') })
        .option('format', {
          describe: 'csv: a header, then index,predicted,p_0..p_N (or class_k,p_k pairs with --top); json: one JSON object per line',
          default: 'csv' as const,
          coerce: parseChoice('format', ['csv', 'json'] as const),
        }),
    ) as unknown as Argv<PredictArgs>,
  handler: async (args) => {
    const loaded = await loadCheckpoint(args.checkpoint, { backend: args.backend, simd: args.simd, threads: args.threads });
    const classes = loaded.network.classes;
    if (args.top !== undefined && !(args.top >= 1 && args.top <= classes)) {
      throw new UsageError(`--top: expected 1 to ${classes} (the checkpoint's classes), got ${args.top}`);
    }
    const source = sourceOptionsFrom(args, [args.images], createDownloadProgress(process.stderr));
    const { result: images } = await readIdx(args.images, source);
    const inputSize = images.dims.slice(1).reduce((a, b) => a * b, 1);
    if (images.dims.length < 2 || inputSize !== loaded.spec.input) {
      throw new InputError(`${args.images}: images have ${inputSize} values, the checkpoint's network takes ${loaded.spec.input}`);
    }
    const count = images.dims[0]!;
    const { scale, offset } = loaded.normalization;
    const write = lineWriter(args.format, classes, args.top);
    if (args.format === 'csv') await print(`${csvHeader(classes, args.top)}\n`);
    for (let start = 0; start < count; start += ROWS) {
      const rows = Math.min(ROWS, count - start);
      const x = new Float32Array(rows * inputSize);
      for (let i = 0; i < x.length; i++) x[i] = images.data[start * inputSize + i]! * scale + offset;
      const logits = loaded.network.logits(x, rows);
      const probabilities = softmaxRows(logits, rows, classes);
      const predicted = argmaxRows(logits, rows, classes);
      let text = '';
      for (let r = 0; r < rows; r++) text += `${write(start + r, predicted[r]!, probabilities.subarray(r * classes, (r + 1) * classes))}\n`;
      await print(text);
    }
  },
};

function csvHeader(classes: number, top: number | undefined): string {
  const columns = top === undefined
    ? Array.from({ length: classes }, (_, c) => `p_${c}`)
    : Array.from({ length: top }, (_, k) => [`class_${k + 1}`, `p_${k + 1}`]).flat();
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

function print(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
