import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { buildNetwork } from '../model/build-network.js';
import { checkNetworkGradients } from '../model/gradient-check.js';
import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import { LESSON_SETTINGS } from '../run/settings.js';
import { modelSpecOf } from '../run/model-spec-of.js';
import { shapeSize } from '../model/layers/layer.js';
import { applyModelArgs, describeLayers, describeTraining, modelOptions, type ModelArgs } from './model-options.js';
import { parseInteger, parseNumber, parseWidths } from './parse-flags.js';
import { CommandFailed, UsageError } from './usage-error.js';

export interface GradcheckArgs extends ModelArgs {
  inputs?: number;
  inputShape?: number[];
  classes: number;
  rows: number;
  perParameter: number;
  threshold: number;
  seed: number;
}

export const gradcheckCommand: CommandModule<object, GradcheckArgs> = {
  command: 'gradcheck',
  describe: 'check the gradients of the network the model flags describe against finite differences, on a small random batch',
  builder: (y) =>
    modelOptions(y, LESSON_SETTINGS)
      .option('inputs', { describe: 'values per input (a vector)', defaultDescription: '784', coerce: parseInteger('inputs') })
      .option('input-shape', {
        describe: 'dimensions of one input, e.g. 28,28: convolutions and pooling read a [height, width] image as [1, height, width]',
        defaultDescription: '28,28',
        coerce: parseWidths('input-shape'),
      })
      .option('classes', { describe: 'number of classes', default: 10, coerce: parseInteger('classes') })
      .option('rows', { describe: 'rows in the random batch', default: 8, coerce: parseInteger('rows') })
      .option('per-parameter', { describe: 'entries checked per parameter (chosen at random)', default: 100, coerce: parseInteger('per-parameter') })
      .option('threshold', { describe: 'worst relative error allowed; above it the exit status is 1', default: 1e-4, coerce: parseNumber('threshold') })
      .option('seed', { describe: 'seed of the weights, the batch and the checked entries', default: 0, coerce: parseInteger('seed') })
      .example('$0 gradcheck', "the lesson's 784-50-10 network")
      .example('$0 gradcheck --hidden 64 --batch-norm', 'a wider network with batch norm')
      .example('$0 gradcheck --layers conv:2:3,flatten,dense:10', 'a conv network') as unknown as Argv<GradcheckArgs>,
  handler: async (args) => {
    const laid = applyModelArgs(LESSON_SETTINGS, args);
    const settings = { ...laid, model: { ...laid.model, classes: args.classes } };
    const shape = inputShapeOf(args);
    const inputs = shapeSize(shape);
    const spec = modelSpecOf(settings, { inputSize: inputs, shape });
    const network = buildNetwork(spec, { init: settings.model.init, seed: args.seed, weightDecay: settings.optimizer.weightDecay, dtype: 'float64' });
    const random = Random.derive(args.seed, RandomStream.gradientCheckBatch);
    const x = Float64Array.from({ length: args.rows * inputs }, () => random.float());
    const labels = Int32Array.from({ length: args.rows }, () => random.int(args.classes));
    const batch = { rows: args.rows, cols: inputs, sampleShape: spec.input, x, labels, indices: Int32Array.from(labels.keys()) };
    const checks = checkNetworkGradients(network, batch, { perParameter: args.perParameter, seed: args.seed });
    const width = Math.max(...checks.map((c) => c.name.length));
    const lines = checks.map((c) => `${c.name.padEnd(width)}  ${c.worst.toExponential(2)}  (${c.checked} entries)`);
    const worst = checks.reduce((a, b) => (b.worst > a.worst ? b : a));
    const verdict = `${worst.worst > args.threshold ? 'FAIL' : 'PASS'}: worst relative error ${worst.worst.toExponential(2)} (${worst.name}), threshold ${args.threshold}`;
    const described = `(${describeTraining(settings).split(';')[0]}), float64, ${args.rows} rows`;
    const heading = settings.model.layers === undefined ? `${[inputs, ...settings.model.hidden, args.classes].join('-')} ${described}` : `layers ${described}\n${describeLayers(spec)}`;
    await writeOut(`${heading}\n${lines.join('\n')}\n${verdict}\n`);
    if (worst.worst > args.threshold) {
      throw new CommandFailed(`gradient check failed: ${worst.name} has relative error ${worst.worst.toExponential(2)}, above ${args.threshold}`, 1);
    }
  },
};

/** One input's dimensions: --input-shape, or a vector of --inputs values, or a 28x28 image (784 values) by default. */
function inputShapeOf(args: Pick<GradcheckArgs, 'inputs' | 'inputShape'>): readonly number[] {
  const { inputs, inputShape } = args;
  if (inputShape === undefined) return inputs === undefined ? [28, 28] : [inputs];
  if (inputShape.length === 0) throw new UsageError('--input-shape: expected dimensions such as 28,28');
  if (inputs !== undefined && shapeSize(inputShape) !== inputs) throw new UsageError(`--inputs: ${inputs} values, but --input-shape ${inputShape.join(',')} has ${shapeSize(inputShape)}; give one of them`);
  return inputShape;
}
