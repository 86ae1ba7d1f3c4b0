import { expect } from 'vitest';
import { runRxnn } from '../cli/run-rxnn.js';

/** The flags `rxnn COMMAND --help` lists (without --help and --version), each with what follows it on its line. */
export async function helpLines(command: string): Promise<Map<string, string>> {
  const help = await runRxnn([command, '--help']);
  expect(help.status).toBe(0);
  const lines = new Map<string, string>();
  for (const m of help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z0-9-]+)(.*)$/gm)) {
    if (m[1] !== '--help' && m[1] !== '--version') lines.set(m[1]!, m[2]!);
  }
  return lines;
}

export async function helpFlags(command: string): Promise<Set<string>> {
  return new Set((await helpLines(command)).keys());
}

/** The commands `rxnn --help` lists. */
export async function helpCommands(): Promise<string[]> {
  const help = await runRxnn(['--help']);
  expect(help.status).toBe(0);
  return [...help.stdout.matchAll(/^\s+rxnn (\w+)/gm)].map((m) => m[1]!);
}
