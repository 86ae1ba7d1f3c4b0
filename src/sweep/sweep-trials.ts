import { Random } from '../core/random.js';
import { commandLineFlags } from './flag-record.js';
import type { RandomChoice, SettingValue, SweepSpec } from './sweep-spec.js';

/** One run of a sweep: its index (0-based) and its settings, flag names as typed (kebab-case). */
export interface Trial {
  readonly index: number;
  readonly settings: Readonly<Record<string, SettingValue>>;
}

/** Significant digits kept of a number drawn from a range: enough to tell trials apart, short enough to read. */
const DRAWN_DIGITS = 4;

/**
 * The trials of a sweep, in a fixed order: for each random draw (one when
 * the sweep has no random part), every grid combination, the last grid
 * setting varying fastest. Draw r depends only on (random.seed, r), so a
 * grid over seeds repeats each drawn setting once per seed.
 */
export function sweepTrials(spec: SweepSpec): Trial[] {
  const combinations = gridCombinations(spec.grid);
  const draws = spec.random === undefined ? [{}] : Array.from({ length: spec.random.count }, (_, r) => draw(spec.random!, r));
  const trials: Trial[] = [];
  for (const drawn of draws) {
    for (const combination of combinations) trials.push({ index: trials.length, settings: { ...spec.base, ...drawn, ...combination } });
  }
  return trials;
}

function gridCombinations(grid: SweepSpec['grid']): Record<string, SettingValue>[] {
  let combinations: Record<string, SettingValue>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [key]: value })));
  }
  return combinations;
}

function draw(random: NonNullable<SweepSpec['random']>, r: number): Record<string, SettingValue> {
  const generator = Random.derive(random.seed, r);
  return Object.fromEntries(Object.entries(random.choices).map(([key, choice]) => [key, drawOne(choice, generator)]));
}

function drawOne(choice: RandomChoice, random: Random): SettingValue {
  if ('oneOf' in choice) return choice.oneOf[random.int(choice.oneOf.length)]!;
  if ('uniform' in choice) {
    const [low, high] = choice.uniform;
    return Number((low + (high - low) * random.float()).toPrecision(DRAWN_DIGITS));
  }
  const [low, high] = choice.logUniform.map(Math.log) as [number, number];
  return Number(Math.exp(low + (high - low) * random.float()).toPrecision(DRAWN_DIGITS));
}

/** A trial's settings as command-line flags: `--lr 0.1`, `--batch-norm`, `--no-stream`, a list as the flag repeated. */
export function trialFlags(settings: Trial['settings']): string[] {
  return commandLineFlags(settings);
}
