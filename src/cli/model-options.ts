import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { fileError } from '../core/file-errors.js';
import { defaultInitFor, formatInitSpec, parseInitSpec, type InitSpec } from '../model/init.js';
import type { LayerSpec } from '../model/layers/layer-kinds.js';
import { shapeSize } from '../model/layers/layer.js';
import { placeLayers, type ModelSpec } from '../model/model-spec.js';
import { formatLayers, LAYER_TOKENS, parseLayers, parseModelFile, type ModelFile } from '../model/parse-layers.js';
import { formatLrSchedule, parseLrSchedule, type LrSchedule } from '../model/lr-schedule.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation } from '../model/model-spec.js';
import { OPTIMIZERS, type OptimizerName } from '../model/optimizers/create-optimizer.js';
import { flatOverrides, layOver } from '../run/presets.js';
import type { TrainSettings } from '../run/settings.js';
import { parseChoice, parseInteger, parseNumber, parseWidths, parseWith } from './parse-flags.js';
import { SettingError } from '../core/errors.js';
import { UsageError } from './usage-error.js';

/** Model flags as given; unset ones come from the preset. */
export interface ModelArgs {
  hidden?: number[];
  activation?: HiddenActivation;
  init?: InitSpec;
  initStd?: number;
  batchNorm?: boolean;
  dropout?: number;
  weightDecay?: number;
  /** The network's layers from --layers. */
  layers?: LayerSpec[];
  /** The network read from --model FILE.json (run.json records what was read). */
  model?: ModelFile;
}

export interface OptimizerArgs {
  optimizer?: OptimizerName;
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  lrSchedule?: LrSchedule;
  warmup?: number;
}

const MODEL = 'Model:';
const OPTIMIZER = 'Optimizer:';

/** The network's flags: shared by train and gradcheck. `preset` gives the defaults shown. */
export function modelOptions<T>(y: Argv<T>, preset: TrainSettings) {
  return y
    .option('layers', {
      group: MODEL,
      describe: `the network's layers, comma-separated, instead of --hidden and --activation: ${LAYER_TOKENS.join(', ')} (e.g. conv:16:5,relu,maxpool:2,flatten,dense:100,relu,dense:10); softmax output`,
      coerce: parseWith('layers', parseLayers),
    })
    .option('model', {
      group: MODEL,
      describe: 'FILE.json: the network as JSON, {"input":[1,28,28],"layers":[{"type":"conv2d",...},...]} or the list of layers alone',
      coerce: parseModelOption,
    })
    .option('hidden', {
      group: MODEL,
      describe: 'hidden layer widths, comma-separated (e.g. 50 or 128,64; "" for none); softmax output',
      defaultDescription: preset.model.hidden.join(','),
      coerce: parseWidths('hidden'),
    })
    .option('activation', {
      group: MODEL,
      describe: `activation of every hidden layer: ${HIDDEN_ACTIVATIONS.join(', ')} (leaky-relu: slope 0.01)`,
      defaultDescription: preset.model.activation,
      coerce: parseChoice('activation', HIDDEN_ACTIVATIONS),
    })
    .option('init', {
      group: MODEL,
      describe: 'weight init: normal:STD, xavier (N(0, 2/(in+out))) or he (N(0, 2/in)); biases start at 0',
      defaultDescription: 'he for relu and leaky-relu, xavier for tanh, the lesson\'s normal:0.01 for sigmoid',
      coerce: parseWith('init', parseInitSpec),
    })
    .option('init-std', { group: MODEL, describe: 'the same as --init normal:STD', coerce: parseNumber('init-std') })
    .option('batch-norm', { group: MODEL, type: 'boolean', describe: 'batch normalisation after every hidden dense layer (running statistics at evaluation)', defaultDescription: String(preset.model.batchNorm) })
    .option('dropout', { group: MODEL, describe: 'inverted dropout rate on hidden layers, in [0, 1); off at evaluation', defaultDescription: String(preset.model.dropout), coerce: parseNumber('dropout') })
    .option('weight-decay', { group: MODEL, describe: 'L2 penalty λ: adds λ·W to the dense weights\' gradients', defaultDescription: String(preset.optimizer.weightDecay), coerce: parseNumber('weight-decay') });
}

export function optimizerOptions<T>(y: Argv<T>, preset: TrainSettings) {
  return y
    .option('optimizer', { group: OPTIMIZER, describe: OPTIMIZERS.join(', '), defaultDescription: preset.optimizer.name, coerce: parseChoice('optimizer', OPTIMIZERS) })
    .option('lr', { group: OPTIMIZER, describe: 'base learning rate', defaultDescription: String(preset.optimizer.lr), coerce: parseNumber('lr') })
    .option('momentum', { group: OPTIMIZER, describe: 'momentum, nesterov: the velocity\'s decay (default 0.9)', coerce: parseNumber('momentum') })
    .option('beta1', { group: OPTIMIZER, describe: 'adam: decay of the gradient average (default 0.9)', coerce: parseNumber('beta1') })
    .option('beta2', { group: OPTIMIZER, describe: 'adam: decay of the squared-gradient average (default 0.999); rmsprop: the same (default 0.99)', coerce: parseNumber('beta2') })
    .option('eps', { group: OPTIMIZER, describe: 'adagrad, rmsprop, adam: added to the denominator (default 1e-8)', coerce: parseNumber('eps') })
    .option('lr-schedule', {
      group: OPTIMIZER,
      describe:
        'constant, cosine (to 0 at the last step), step:EVERY:GAMMA (×GAMMA every EVERY epochs), exponential:GAMMA (×GAMMA every epoch), ' +
        'plateau:FACTOR:PATIENCE[:MIN_LR] (×FACTOR once the validation loss, or without a validation set the training loss, has not reached a new low for PATIENCE epochs)',
      defaultDescription: formatLrSchedule(preset.schedule),
      coerce: parseWith('lr-schedule', parseLrSchedule),
    })
    .option('warmup', { group: OPTIMIZER, describe: 'steps of linear learning-rate warmup', defaultDescription: String(preset.schedule.warmup), coerce: parseInteger('warmup') });
}

/** The MLP flags, which --layers and --model replace. */
const MLP_FLAGS = ['hidden', 'activation', 'batchNorm', 'dropout'] as const;

/**
 * The preset's settings with the flags that were given laid over them (see
 * layOver). --layers or --model replace the preset's MLP; without --init,
 * their weights start as the first activation of the layers suggests.
 */
export function applyModelArgs(preset: TrainSettings, args: ModelArgs & OptimizerArgs): TrainSettings {
  if (args.init !== undefined && args.initStd !== undefined) throw new SettingError('init', 'give --init or --init-std, not both');
  if (args.layers !== undefined && args.model !== undefined) throw new SettingError('layers', 'give --layers or --model, not both');
  const layers = args.layers ?? args.model?.layers;
  const mlp = MLP_FLAGS.find((key) => args[key] !== undefined);
  if (layers === undefined && preset.model.layers !== undefined && mlp !== undefined) {
    throw new SettingError(mlp, `the preset's network is given as layers (${formatLayers(preset.model.layers)}); change it with --layers`);
  }
  const settings = layOver(preset, flatOverrides({ ...args, layers: undefined }));
  if (layers === undefined) return settings;
  const flag = args.layers === undefined ? 'model' : 'layers';
  if (mlp !== undefined) throw new SettingError(flag, `describes the whole network; leave out --${mlp === 'batchNorm' ? 'batch-norm' : mlp} (the short form for MLPs)`);
  const activation = layers.find((layer) => layer.type === 'activation');
  const init = args.init !== undefined || args.initStd !== undefined || activation?.type !== 'activation' ? settings.model.init : defaultInitFor(activation.function);
  return { ...settings, model: { ...settings.model, init, layers } };
}

function parseModelOption(value: unknown): ModelFile {
  if (Array.isArray(value)) throw new UsageError(`--model: given ${value.length} times; give it once`);
  const path = String(value);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const problem = fileError(path, 'read it', error);
    throw problem instanceof Error && problem !== error ? new UsageError(`--model: ${problem.message}`) : problem;
  }
  return parseModelFile(text, path);
}

/** The layers of a network, one line each: number, label, output shape and parameter count, for the banner. */
export function describeLayers(spec: ModelSpec): string {
  const placed = placeLayers(spec);
  const rows = placed.map((layer, i) => {
    const parameters = layer.tensors.filter((t) => t.parameter).reduce((sum, t) => sum + shapeSize(t.shape), 0);
    return [`${i + 1}`, layer.kind.label(layer.spec), `[${layer.output.join(', ')}]`, parameters === 0 ? '' : parameters.toLocaleString('en-US')];
  });
  const table = [['', 'input', `[${spec.input.join(', ')}]`, ''], ...rows];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c]!.length)));
  return table.map((row) => `  ${row[0]!.padStart(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]!.padEnd(widths[2]!)}  ${row[3]!}`.trimEnd()).join('\n');
}

/** One line naming the network and optimizer, for the progress banner. */
export function describeTraining(s: TrainSettings): string {
  const { model: m, optimizer: o, schedule: sc } = s;
  const parts: string[] = m.layers === undefined ? [m.activation] : [];
  parts.push(`init ${formatInitSpec(m.init)}`);
  if (m.layers === undefined && m.batchNorm) parts.push('batch norm');
  if (m.layers === undefined && m.dropout > 0) parts.push(`dropout ${m.dropout}`);
  if (o.weightDecay > 0) parts.push(`weight decay ${o.weightDecay}`);
  const augment = s.data.augment;
  if (augment !== undefined) parts.push(`augment shift ${augment.shift} rotate ${augment.rotate} scale ${augment.scale}`);
  const schedule = sc.kind === 'constant' ? '' : ` ${formatLrSchedule(sc)}`;
  const warmup = sc.warmup > 0 ? `, warmup ${sc.warmup}` : '';
  return `${parts.join(', ')}; ${o.name} lr ${o.lr}${schedule}${warmup}`;
}
