/**
 * Where each setting of the flat form lives in the nested settings: its
 * group and its name there. The flat form is what rxnn 0.1 recorded (run.json
 * `settings`, a checkpoint's `training_state.settings`) and what the command
 * line's flags are named; `lrSchedule` is spread into the schedule group
 * (`{ kind: 'step', every: 5, gamma: 0.5, warmup: 0 }`).
 */
export const SETTING_PLACES = {
  hidden: ['model', 'hidden'],
  activation: ['model', 'activation'],
  init: ['model', 'init'],
  initStd: ['model', 'initStd'],
  batchNorm: ['model', 'batchNorm'],
  dropout: ['model', 'dropout'],
  classes: ['model', 'classes'],
  layers: ['model', 'layers'],
  optimizer: ['optimizer', 'name'],
  lr: ['optimizer', 'lr'],
  momentum: ['optimizer', 'momentum'],
  beta1: ['optimizer', 'beta1'],
  beta2: ['optimizer', 'beta2'],
  eps: ['optimizer', 'eps'],
  weightDecay: ['optimizer', 'weightDecay'],
  lrSchedule: ['schedule', '...'],
  warmup: ['schedule', 'warmup'],
  batchSize: ['data', 'batchSize'],
  sampler: ['data', 'sampler'],
  shuffleBuffer: ['data', 'shuffleBuffer'],
  normalization: ['data', 'normalization'],
  evalBatchSize: ['data', 'evalBatchSize'],
  augment: ['data', 'augment'],
  validation: ['data', 'validation'],
  epochs: ['run', 'epochs'],
  seed: ['run', 'seed'],
  maxLoss: ['run', 'maxLoss'],
  earlyStop: ['run', 'earlyStop'],
} as const;

export const SETTING_GROUPS = ['model', 'optimizer', 'schedule', 'data', 'run'] as const;

type SettingsRecord = Readonly<Record<string, unknown>>;

const isGroup = (value: unknown): value is SettingsRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Settings in the flat form (no group holds an object), as rxnn 0.1 recorded them. */
export function isFlatSettings(settings: SettingsRecord): boolean {
  return !SETTING_GROUPS.some((group) => isGroup(settings[group]));
}

/**
 * Recorded settings in today's nested form: a flat record (rxnn 0.1) is
 * moved into its groups, in their order; a nested one is returned as it is.
 * A flat key of no known place stays at the top, so nothing recorded is lost.
 */
export function nestSettings(settings: SettingsRecord): SettingsRecord {
  if (!isFlatSettings(settings)) return settings;
  const groups: Record<string, Record<string, unknown>> = Object.fromEntries(SETTING_GROUPS.map((g) => [g, {}]));
  const rest: Record<string, unknown> = {};
  for (const [key, [group, name]] of Object.entries(SETTING_PLACES)) {
    const value = settings[key];
    if (value === undefined) continue;
    if (name === '...') Object.assign(groups[group]!, value);
    else groups[group]![name] = value;
  }
  for (const [key, value] of Object.entries(settings)) if (!(key in SETTING_PLACES)) rest[key] = value;
  return { ...Object.fromEntries(Object.entries(groups).filter(([, g]) => Object.keys(g).length > 0)), ...rest };
}

/** Nested settings in the flat form, keys named as the command line's flags (for tables and messages); a flat record is returned as it is. */
export function flatSettings(settings: SettingsRecord): SettingsRecord {
  if (isFlatSettings(settings)) return settings;
  const flat: Record<string, unknown> = {};
  const placed = new Set<string>();
  for (const [key, [group, name]] of Object.entries(SETTING_PLACES)) {
    const values = settings[group];
    if (!isGroup(values)) continue;
    placed.add(group);
    if (name === '...') {
      const { warmup: _warmup, ...schedule } = values;
      if (Object.keys(schedule).length > 0) flat[key] = schedule;
    } else if (values[name] !== undefined) flat[key] = values[name];
  }
  for (const [group, values] of Object.entries(settings)) {
    if (!placed.has(group)) flat[group] = values;
    else if (isGroup(values)) for (const [name, value] of Object.entries(values)) if (!isPlaced(group, name)) flat[`${group}.${name}`] = value;
  }
  return flat;
}

function isPlaced(group: string, name: string): boolean {
  return group === 'schedule' || Object.values(SETTING_PLACES).some(([g, n]) => g === group && n === name);
}
