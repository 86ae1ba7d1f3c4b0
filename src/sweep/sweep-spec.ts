import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { checkWithSchema } from '../core/schema-check.js';
import { flagNameSchema as name, normalizeFlagKeys as normalizeKeys, readYamlFile, settingValueSchema as value, type SettingValue } from './flag-record.js';

export type { SettingValue } from './flag-record.js';

/** A random choice: one of a list, or a number drawn uniformly (or log-uniformly) between two bounds. */
export type RandomChoice =
  | { readonly oneOf: readonly SettingValue[] }
  | { readonly uniform: readonly [number, number] }
  | { readonly logUniform: readonly [number, number] };

/**
 * A study of several settings: every trial is `base`, overridden by one
 * combination of `grid` (every combination is tried) and by one of `count`
 * random draws from `random` (drawn with rxnn's seeded generator from
 * `random.seed`, so the same file always gives the same trials).
 */
export interface SweepSpec {
  /** The sweep's folder, if the file names one. */
  readonly out?: string | undefined;
  readonly base: Readonly<Record<string, SettingValue>>;
  readonly grid: Readonly<Record<string, readonly SettingValue[]>>;
  readonly random?: { readonly seed: number; readonly count: number; readonly choices: Readonly<Record<string, RandomChoice>> } | undefined;
}

const bounds = z.tuple([z.number(), z.number()]).refine(([low, high]) => low < high, 'expected [low, high] with low < high');

const listChoice = z.array(value).min(1).transform((oneOf): RandomChoice => ({ oneOf }));
const rangeChoice = z
  .strictObject({ uniform: bounds.optional(), 'log-uniform': bounds.refine(([low]) => low > 0, 'log-uniform bounds must be positive').optional() })
  .refine((range) => (range.uniform === undefined) !== (range['log-uniform'] === undefined), 'expected a list of values, {uniform: [low, high]} or {log-uniform: [low, high]}')
  .transform((range): RandomChoice => (range.uniform !== undefined ? { uniform: range.uniform } : { logUniform: range['log-uniform']! }));

/** A list or a range, told apart first so that the error is the one about what was meant (a union would say only "invalid input"). */
const choiceSchema = z.unknown().transform((choice, context): RandomChoice => {
  const checked = (Array.isArray(choice) ? listChoice : rangeChoice).safeParse(choice);
  if (checked.success) return checked.data;
  for (const issue of checked.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const specSchema = z
  .strictObject({
    out: z.string().min(1).optional(),
    base: z.record(name, value).optional(),
    grid: z.record(name, z.array(value).min(1, 'a grid setting needs at least one value')).optional(),
    random: z
      .strictObject({
        seed: z.int().min(0),
        count: z.int().min(1),
        choices: z.record(name, choiceSchema),
      })
      .optional(),
  })
  .refine((spec) => spec.grid !== undefined || spec.random !== undefined || spec.base !== undefined, 'a sweep needs base, grid or random');

/** Checks a sweep file's parsed content; `where` names it in errors. */
export function checkSweepSpec(content: unknown, where: string): SweepSpec {
  const spec = checkWithSchema(specSchema, content, where);
  const random = spec.random;
  const normalized: SweepSpec = { out: spec.out, base: normalizeKeys(spec.base ?? {}), grid: normalizeKeys(spec.grid ?? {}), random: random === undefined ? undefined : { ...random, choices: normalizeKeys(random.choices) } };
  const gridKeys = new Set(Object.keys(normalized.grid));
  for (const key of Object.keys(normalized.random?.choices ?? {})) {
    if (gridKeys.has(key)) throw new InputError(`${where}: random.choices.${key}: ${key} is also in grid; sweep it in one of them`);
  }
  return normalized;
}

/** Reads a sweep file: YAML or JSON (JSON is YAML). */
export async function readSweepSpec(path: string): Promise<SweepSpec> {
  return checkSweepSpec(await readYamlFile(path, 'sweep file'), path);
}
