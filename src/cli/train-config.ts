import { InputError } from '../core/errors.js';
import { formatInitSpec } from '../model/init.js';
import { formatLrSchedule, type LrSchedule } from '../model/lr-schedule.js';
import { formatLayers } from '../model/parse-layers.js';
import type { TrainSettings } from '../run/settings.js';
import { checkFlagRecord, commandLineFlags, readYamlFile, type FlagRecord, type SettingValue } from '../sweep/flag-record.js';
import { givenFlags } from './given-flags.js';
import { UsageError } from './usage-error.js';

/** A command line with the flags of its `--config FILE` put in. */
export interface ConfigExpansion {
  readonly args: readonly string[];
  /** The config file, if one was given. */
  readonly file?: string | undefined;
  /** The flags that came from the file (not overridden by the command line). */
  readonly keys: ReadonlySet<string>;
}

/** Flags a config file cannot hold: they say what to do with a config, or where to resume from. */
const NOT_IN_CONFIG = ['config', 'print-config', 'resume', 'help', 'version'];

/**
 * `rxnn train --config FILE`: the file's flags (YAML or JSON, flag name ->
 * value, as a sweep file's `base`) go in as if typed before the command
 * line's own; a flag given on the command line replaces the file's.
 * Other commands, and train without --config, pass unchanged.
 */
export async function expandConfig(args: readonly string[]): Promise<ConfigExpansion> {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const at = args.slice(0, end).flatMap((arg, i) => (arg === '--config' || arg.startsWith('--config=') ? [i] : []));
  if (args[0] !== 'train' || at.length === 0) return { args, keys: new Set() };
  if (at.length > 1) throw new UsageError(`--config: given ${at.length} times; give it once`);
  const i = at[0]!;
  const file = args[i]!.startsWith('--config=') ? args[i]!.slice('--config='.length) : args[i + 1];
  if (file === undefined || file === '' || file.startsWith('--')) throw new UsageError('--config: expected a FILE (YAML or JSON)');
  const record = checkFlagRecord(await readYamlFile(file, 'config file'), file);
  const forbidden = Object.keys(record).find((key) => NOT_IN_CONFIG.includes(key));
  if (forbidden !== undefined) throw new InputError(`${file}: ${forbidden}: not allowed in a config file (give --${forbidden} on the command line)`);
  const given = givenFlags(args);
  const kept = Object.fromEntries(Object.entries(record).filter(([key]) => !given.has(camel(key))));
  return { args: [args[0]!, ...commandLineFlags(kept), ...args.slice(1)], file, keys: new Set(Object.keys(kept)) };
}

/** An error's one line, naming the config file when the flag it names came from there. */
export function inConfigFile(line: string, expansion: ConfigExpansion | undefined): string {
  const flag = /--(?:no-)?([a-z0-9][a-z0-9-]*)/.exec(line)?.[1];
  return expansion?.file !== undefined && flag !== undefined && expansion.keys.has(flag) ? `${expansion.file}: ${line}` : line;
}

/** Flags a printed config leaves out: what to do now, not what the run is. */
const NOT_PRINTED = new Set([...NOT_IN_CONFIG, 'quiet', 'preset', 'init-std']);

/**
 * The effective configuration, as a config file: every setting the run
 * trains with (the preset resolved, in the flags' form) and the other flags
 * given. `rxnn train --config` of it trains the same run.
 */
export function effectiveConfig(settings: TrainSettings, args: readonly string[], booleans: ReadonlySet<string>): FlagRecord {
  const given = typedFlags(args, booleans);
  const { model, optimizer: o, schedule, data, run } = settings;
  const { warmup, ...lrSchedule } = schedule;
  // a --model file is printed as given (not every layer it may hold has a --layers token); other layers as --layers
  const fromFile = model.layers !== undefined && given['model'] !== undefined;
  const fromSettings: Record<string, SettingValue> = {
    epochs: run.epochs,
    'batch-size': data.batchSize,
    'eval-batch-size': data.evalBatchSize,
    seed: run.seed,
    sampler: data.sampler,
    ...(data.shuffleBuffer === undefined ? {} : { 'shuffle-buffer': data.shuffleBuffer }),
    'max-loss': run.maxLoss,
    ...(model.layers === undefined
      ? { hidden: model.hidden.join(','), activation: model.activation }
      : fromFile
        ? {}
        : { layers: formatLayers(model.layers) }),
    init: formatInitSpec(model.init),
    ...(model.layers === undefined ? { 'batch-norm': model.batchNorm, dropout: model.dropout } : {}),
    'weight-decay': o.weightDecay,
    optimizer: o.name,
    lr: o.lr,
    ...definedOf({ momentum: o.momentum, beta1: o.beta1, beta2: o.beta2, eps: o.eps }),
    'lr-schedule': formatLrSchedule(lrSchedule as LrSchedule),
    warmup,
    ...(data.augment === undefined ? {} : { 'augment-shift': data.augment.shift, 'augment-rotate': data.augment.rotate, 'augment-scale': data.augment.scale }),
  };
  // layers replace the MLP's flags
  const replaced = model.layers === undefined ? NOT_PRINTED : new Set([...NOT_PRINTED, ...(fromFile ? [] : ['model']), 'hidden', 'activation', 'batch-norm', 'dropout']);
  const others = Object.fromEntries(Object.entries(given).filter(([key]) => !(key in fromSettings) && !replaced.has(key)));
  return { ...fromSettings, ...others };
}

/** The flags of a command line (after the command) with their values as typed; a flag given twice, as a list. */
function typedFlags(args: readonly string[], booleans: ReadonlySet<string>): Record<string, SettingValue> {
  const flags: Record<string, SettingValue> = {};
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  for (let i = 1; i < end; i++) {
    const match = /^--([a-z0-9][a-z0-9-]*)(?:=(.*))?$/is.exec(args[i]!);
    if (match === null) continue;
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    let key = name;
    let value: string | boolean;
    if (name.startsWith('no-') && booleans.has(camel(name.slice(3)))) [key, value] = [name.slice(3), false];
    else if (booleans.has(camel(name))) value = inline === undefined ? true : inline !== 'false';
    else if (inline !== undefined) value = inline;
    else if (i + 1 < end && !args[i + 1]!.startsWith('--')) value = args[++i]!;
    else continue;
    const before = flags[key];
    flags[key] = before === undefined || typeof value === 'boolean' ? value : [...(Array.isArray(before) ? before : [before as string]), value];
  }
  return flags;
}

function definedOf(record: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, number] => entry[1] !== undefined));
}

function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
