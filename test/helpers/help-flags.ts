import { expect } from 'vitest';
import { runRxnn } from '../cli/run-rxnn.js';

/** The flags `rxnn COMMAND --help` lists (without --help and --version), each with what follows it on its line. */
export async function helpLines(command: string): Promise<Map<string, string>> {
  const help = await runRxnn([command, '--help']);
  expect(help.status).toBe(0);
  const lines = new Map<string, string>();
  // the flags' rows, before the examples (whose wrapped lines may start with a flag)
  for (const m of help.stdout.split('\nExamples:\n')[0]!.matchAll(/^ {2}(?:-\w, | {4})?(--[a-z0-9-]+)(.*)$/gm)) {
    if (m[1] !== '--help' && m[1] !== '--version') lines.set(m[1]!, m[2]!);
  }
  return lines;
}

export async function helpFlags(command: string): Promise<Set<string>> {
  return new Set((await helpLines(command)).keys());
}

/** Each flag of `rxnn COMMAND --help` with its placeholder (the word after it) and its notes (`[boolean]`, `[default: …]`). */
export async function helpOptions(command: string): Promise<Map<string, { placeholder: string | undefined; text: string }>> {
  const help = await runRxnn([command, '--help']);
  expect(help.status).toBe(0);
  const options = new Map<string, { placeholder: string | undefined; text: string }>();
  let current: { placeholder: string | undefined; text: string } | undefined;
  for (const line of help.stdout.split('\nExamples:\n')[0]!.split('\n')) {
    const flag = /^ {2}(?:-\w, | {4})?(--[a-z0-9-]+)(?: (\S+))?(?:\s{2,}|$)/.exec(line);
    if (flag !== null) {
      current = { placeholder: flag[2], text: line };
      options.set(flag[1]!, current);
    } else if (line.trim() === '' || /^\S/.test(line)) current = undefined;
    else if (current !== undefined) current.text += `\n${line}`;
  }
  return options;
}

/** The commands `rxnn --help` lists. */
export async function helpCommands(): Promise<string[]> {
  const help = await runRxnn(['--help']);
  expect(help.status).toBe(0);
  return [...help.stdout.matchAll(/^\s+rxnn (\w+)/gm)].map((m) => m[1]!);
}
