import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { stoppable } from './stop-signals.js';
import { inspectIdx, type IdxInspection } from '../sources/inspect.js';
import { bundledMnist } from '../sources/mnist.js';
import { createDownloadProgress } from './download-progress.js';
import { describeCheckpoint, inspectCheckpoint, type CheckpointInspection } from './inspect-checkpoint.js';
import { parsePath } from './parse-flags.js';
import { sourceOptions, sourceOptionsFrom, type SourceArgs } from './source-options.js';

export interface InspectArgs extends SourceArgs {
  /** Empty when none were named. */
  files: string[];
  json: boolean;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect [files..]',
  describe:
    'describe IDX files or URLs (type, dimensions, size, SHA-256, class counts of labels) and .safetensors checkpoints (tensors with shapes and counts, normalisation, epoch, backend, the metrics of its run)',
  builder: (y) =>
    sourceOptions(
      y
        .positional('files', { describe: 'IDX files: paths or http(s) URLs, plain or gzip (default: the four bundled MNIST files)', type: 'string', array: true })
        .coerce('files', (values: unknown[]) => values.map((v) => parsePath('files')(v)))
        .option('json', { type: 'boolean', group: 'Options:', default: false, describe: 'print one JSON array for scripts instead of text' })
        .example('$0 inspect', 'the four bundled MNIST files')
        .example('$0 inspect FILE --json', 'an IDX file of yours, as JSON')
        .example('$0 inspect CHECKPOINT', "a checkpoint's network, position and metrics"),
    ) as unknown as Argv<InspectArgs>,
  handler: (args) => stoppable(async (signal) => {
    const files = args.files.length > 0 ? args.files : bundledFiles();
    const source = { ...sourceOptionsFrom(args, files, createDownloadProgress(process.stderr)), signal };
    const reports: (IdxInspection | CheckpointInspection)[] = [];
    for (const file of files) reports.push(isCheckpoint(file) ? await inspectCheckpoint(file) : await inspectIdx(file, source));
    const text = (r: IdxInspection | CheckpointInspection): string => ('kind' in r && r.kind === 'checkpoint' ? describeCheckpoint(r) : describe(r as IdxInspection));
    await writeOut(args.json ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(text).join('\n'));
  }),
};

function isCheckpoint(file: string): boolean {
  return /\.safetensors$/i.test(file) && !/^https?:/i.test(file);
}

function bundledFiles(): string[] {
  const { train, test } = bundledMnist();
  return [train.images, train.labels, test.images, test.labels];
}

function describe(r: IdxInspection): string {
  const lines: [string, string][] = [
    ['type', r.type],
    ['dims', `${r.dims.join('x')} (${r.items} items${r.itemShape.length > 0 ? ` of ${r.itemShape.join('x')}` : ''})`],
    ['values', r.min === undefined ? 'none' : `${r.min} to ${r.max}`],
    ['file', `${r.bytes} bytes${r.compression === 'gzip' ? ', gzip' : ''}${r.path === r.source ? '' : `, cached at ${r.path}`}`],
    ['sha256', r.sha256],
  ];
  if (r.labels !== undefined) {
    lines.push(['classes', String(r.labels.classes)]);
    lines.push(['counts', Object.entries(r.labels.counts).map(([label, n]) => `${label}:${n}`).join(' ')]);
  }
  return `${r.source}\n${lines.map(([key, value]) => `  ${key.padEnd(8)}${value}`).join('\n')}\n`;
}
