import type { z } from 'zod';
import { InputError } from './errors.js';

/**
 * `value` checked against `schema`; otherwise an InputError naming `where`
 * (the file), the field and the problem, e.g.
 * `runs/a/run.json: args.hidden: expected array, received string`.
 */
export function checkWithSchema<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(`${where}: ${describeIssue(result.error.issues[0]!)}`);
}

/** JSON text parsed, then checked against `schema` (see checkWithSchema). */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, where: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${where}: not valid JSON`);
  }
  return checkWithSchema(schema, value, where);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const { field, problem } = issueParts(issue);
  return field === undefined ? problem : `${field}: ${problem}`;
}

/** A schema's first issue as the field (a dotted path; undefined for the value itself) and the problem. */
export function issueParts(issue: z.core.$ZodIssue): { readonly field: string | undefined; readonly problem: string } {
  if (issue.code === 'unrecognized_keys') return { field: [...issue.path, issue.keys[0]].map(String).join('.'), problem: 'not a field rxnn writes here' };
  const message = issue.message.replace(/^Invalid input: /, '');
  return { field: issue.path.length === 0 ? undefined : issue.path.map(String).join('.'), problem: message.charAt(0).toLowerCase() + message.slice(1) };
}
