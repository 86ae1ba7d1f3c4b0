import type { Argv } from 'yargs';
import { formatInitSpec, parseInitSpec, type InitSpec } from '../model/init.js';
import { formatLrSchedule, parseLrSchedule, type LrSchedule } from '../model/lr-schedule.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation } from '../model/model-spec.js';
import { OPTIMIZERS, type OptimizerName } from '../model/optimizers/create-optimizer.js';
import { layOver } from '../run/presets.js';
import type { TrainSettings } from '../run/settings.js';
import { parseChoice, parseInteger, parseNumber, parseWidths, parseWith } from './parse-flags.js';
import { SettingError } from '../core/errors.js';

/** Model flags as given; unset ones come from the preset. */
export interface ModelArgs {
  hidden?: number[];
  activation?: HiddenActivation;
  init?: InitSpec;
  initStd?: number;
  batchNorm?: boolean;
  dropout?: number;
  weightDecay?: number;
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
    .option('hidden', {
      group: MODEL,
      describe: 'hidden layer widths, comma-separated (e.g. 50 or 128,64; "" for none); softmax output',
      defaultDescription: preset.hidden.join(','),
      coerce: parseWidths('hidden'),
    })
    .option('activation', {
      group: MODEL,
      describe: `activation of every hidden layer: ${HIDDEN_ACTIVATIONS.join(', ')} (leaky-relu: slope 0.01)`,
      defaultDescription: preset.activation,
      coerce: parseChoice('activation', HIDDEN_ACTIVATIONS),
    })
    .option('init', {
      group: MODEL,
      describe: 'weight init: normal:STD, xavier (N(0, 2/(in+out))) or he (N(0, 2/in)); biases start at 0',
      defaultDescription: 'he for relu and leaky-relu, xavier for tanh, the lesson\'s normal:0.01 for sigmoid',
      coerce: parseWith('init', parseInitSpec),
    })
    .option('init-std', { group: MODEL, describe: 'the same as --init normal:STD', coerce: parseNumber('init-std') })
    .option('batch-norm', { group: MODEL, type: 'boolean', describe: 'batch normalisation after every hidden dense layer (running statistics at evaluation)', defaultDescription: String(preset.batchNorm) })
    .option('dropout', { group: MODEL, describe: 'inverted dropout rate on hidden layers, in [0, 1); off at evaluation', defaultDescription: String(preset.dropout), coerce: parseNumber('dropout') })
    .option('weight-decay', { group: MODEL, describe: 'L2 penalty λ: adds λ·W to the dense weights\' gradients', defaultDescription: String(preset.weightDecay), coerce: parseNumber('weight-decay') });
}

export function optimizerOptions<T>(y: Argv<T>, preset: TrainSettings) {
  return y
    .option('optimizer', { group: OPTIMIZER, describe: OPTIMIZERS.join(', '), defaultDescription: preset.optimizer, coerce: parseChoice('optimizer', OPTIMIZERS) })
    .option('lr', { group: OPTIMIZER, describe: 'base learning rate', defaultDescription: String(preset.lr), coerce: parseNumber('lr') })
    .option('momentum', { group: OPTIMIZER, describe: 'momentum, nesterov: the velocity\'s decay (default 0.9)', coerce: parseNumber('momentum') })
    .option('beta1', { group: OPTIMIZER, describe: 'adam: decay of the gradient average (default 0.9)', coerce: parseNumber('beta1') })
    .option('beta2', { group: OPTIMIZER, describe: 'adam: decay of the squared-gradient average (default 0.999); rmsprop: the same (default 0.99)', coerce: parseNumber('beta2') })
    .option('eps', { group: OPTIMIZER, describe: 'adagrad, rmsprop, adam: added to the denominator (default 1e-8)', coerce: parseNumber('eps') })
    .option('lr-schedule', {
      group: OPTIMIZER,
      describe:
        'constant, cosine (to 0 at the last step), step:EVERY:GAMMA (×GAMMA every EVERY epochs), exponential:GAMMA (×GAMMA every epoch), ' +
        'plateau:FACTOR:PATIENCE[:MIN_LR] (×FACTOR once the validation loss, or without a validation set the training loss, has not reached a new low for PATIENCE epochs)',
      defaultDescription: formatLrSchedule(preset.lrSchedule),
      coerce: parseWith('lr-schedule', parseLrSchedule),
    })
    .option('warmup', { group: OPTIMIZER, describe: 'steps of linear learning-rate warmup', defaultDescription: String(preset.warmup), coerce: parseInteger('warmup') });
}

/** The preset's settings with the flags that were given laid over them (see layOver). */
export function applyModelArgs(preset: TrainSettings, args: ModelArgs & OptimizerArgs): TrainSettings {
  if (args.init !== undefined && args.initStd !== undefined) throw new SettingError('init', 'give --init or --init-std, not both');
  return layOver(preset, args);
}

/** One line naming the network and optimizer, for the progress banner. */
export function describeTraining(s: TrainSettings): string {
  const parts = [s.activation, `init ${formatInitSpec(s.init)}`];
  if (s.batchNorm) parts.push('batch norm');
  if (s.dropout > 0) parts.push(`dropout ${s.dropout}`);
  if (s.weightDecay > 0) parts.push(`weight decay ${s.weightDecay}`);
  const schedule = s.lrSchedule.kind === 'constant' ? '' : ` ${formatLrSchedule(s.lrSchedule)}`;
  const warmup = s.warmup > 0 ? `, warmup ${s.warmup}` : '';
  return `${parts.join(', ')}; ${s.optimizer} lr ${s.lr}${schedule}${warmup}`;
}
