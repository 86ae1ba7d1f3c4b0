import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { checkWithSchema } from '../core/schema-check.js';

/** A flag's value as a config or sweep file gives it: a value, or a list of them for a flag given several times. */
export type SettingValue = string | number | boolean | readonly (string | number)[];

/** Flag name -> value, keys as flags are typed (`batch-size`). */
export type FlagRecord = Readonly<Record<string, SettingValue>>;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const settingValueSchema = z.union([scalar, z.array(z.union([z.string(), z.number()])).min(1)]);
export const flagNameSchema = z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'expected a flag name such as lr or batch-size');

const flagRecordSchema = z.record(flagNameSchema, settingValueSchema, { error: (issue) => (issue.code === 'invalid_type' ? 'expected a mapping of flag names to values, e.g. {lr: 0.05, hidden: "128,64"}' : undefined) });

/** Checks a parsed flag record (a config file's content); `where` names it in errors. */
export function checkFlagRecord(content: unknown, where: string): FlagRecord {
  if (content === null || content === undefined) return {};
  return normalizeFlagKeys(checkWithSchema(flagRecordSchema, content, where));
}

/** Reads a YAML or JSON file (JSON is YAML); `what` says what it is for, in errors. */
export async function readYamlFile(path: string, what: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw fileError(path, `read the ${what}`, error);
  });
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(`${path}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** batchSize and batch-size are the same flag: keys are kept as flags are typed (kebab-case). */
export function normalizeFlagKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]));
}

/** Flags as typed on a command line: `--lr 0.1`, `--batch-norm`, `--no-stream`, a list as the flag repeated. */
export function commandLineFlags(record: FlagRecord): string[] {
  return Object.entries(record).flatMap(([key, value]): string[] => {
    if (value === true) return [`--${key}`];
    if (value === false) return [`--no-${key}`];
    if (Array.isArray(value)) return value.flatMap((item) => [`--${key}`, String(item)]);
    return [`--${key}`, String(value)];
  });
}
