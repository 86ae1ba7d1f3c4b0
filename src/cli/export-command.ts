import { placeLayers } from '../model/model-spec.js';
import type { Argv, CommandModule } from 'yargs';
import { exportOnnx, ONNX_INPUT } from '../export/export-onnx.js';
import { PROBABILITIES } from '../export/onnx-layers.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import { loadCheckpoint } from '../run/load-checkpoint.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { RXNN_VERSION } from './build-info.js';
import { writeOut } from './output.js';
import { parseChoice, parsePath } from './parse-flags.js';

export const EXPORT_FORMATS = ['onnx'] as const;

export interface ExportArgs {
  checkpoint: string;
  format: (typeof EXPORT_FORMATS)[number];
  out: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <checkpoint>',
  describe: 'write a checkpoint\'s network as an ONNX model (raw pixels in, class probabilities out) for onnxruntime and other runtimes',
  builder: (y) =>
    y
      .positional('checkpoint', { type: 'string', describe: 'a .safetensors checkpoint written by rxnn train', coerce: parsePath('checkpoint') })
      .option('format', { describe: 'onnx: an ONNX model, opset 13', default: 'onnx' as const, coerce: parseChoice('format', EXPORT_FORMATS) })
      .option('out', { type: 'string', demandOption: true, describe: 'the file to write (e.g. model.onnx); replaced whole, never left half-written', coerce: parsePath('out') })
      .example('$0 export CHECKPOINT --out model.onnx', 'the network as an ONNX model')
      .example('$0 export CHECKPOINT --format onnx --out m.onnx', 'the same, the format named') as unknown as Argv<ExportArgs>,
  handler: async (args) => {
    // Only the tensors are read: the TypeScript kernels spare starting the wasm ones.
    const checkpoint = await loadCheckpoint(args.checkpoint, { kernels: tsKernels });
    const bytes = exportOnnx(checkpoint, { producerVersion: RXNN_VERSION });
    await writeFileAtomic(args.out, bytes);
    const classes = placeLayers(checkpoint.spec).at(-1)!.output[0]!;
    await writeOut(`${JSON.stringify({ out: args.out, format: args.format, bytes: bytes.length, input: { name: ONNX_INPUT, shape: ['batch', checkpoint.inputSize] }, output: { name: PROBABILITIES, shape: ['batch', classes] } })}\n`);
  },
};
