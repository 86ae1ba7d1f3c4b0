import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { helpCommands, helpFlags, helpOptions } from '../helpers/help-flags.js';
import { runRxnn } from './run-rxnn.js';

const README = new URL('../../README.md', import.meta.url);

/** The flags of each command's table in the README: a `rxnn CMD` row starts a command, `--flag` rows belong to it. */
async function readmeFlags(): Promise<Map<string, Set<string>>> {
  const text = await readFile(README, 'utf8');
  const tables = new Map<string, Set<string>>();
  let command: string | undefined;
  for (const line of text.split('\n')) {
    const heading = /^## `rxnn (\w+)` flags/.exec(line);
    if (heading !== null) command = heading[1];
    else if (line.startsWith('## ')) command = undefined;
    const cell = /^\| `([^`]+)`/.exec(line)?.[1];
    if (cell === undefined) continue;
    const starts = /^rxnn (\w+)/.exec(cell);
    if (starts !== null) command = starts[1];
    const flag = /^(--[a-z0-9-]+)/.exec(cell)?.[1];
    if (flag !== undefined && command !== undefined) {
      if (!tables.has(command)) tables.set(command, new Set());
      tables.get(command)!.add(flag);
    }
  }
  return tables;
}

describe('the README flag tables and --help say the same thing', () => {
  it('has tables for train, plot and runs', async () => {
    expect([...(await readmeFlags()).keys()].sort()).toEqual(['plot', 'runs', 'train']);
  });

  for (const command of ['train', 'plot', 'runs']) {
    it(`rxnn ${command}: every flag in the README is in --help, and back`, async () => {
      const readme = (await readmeFlags()).get(command) ?? new Set();
      expect([...(await helpFlags(command))].sort()).toEqual([...readme].sort());
    });
  }
});

/** The placeholder each README table gives a flag (`--out DIR`, `--format svg\|png`), by command. */
async function readmePlaceholders(): Promise<Map<string, Map<string, string>>> {
  const text = await readFile(README, 'utf8');
  const tables = new Map<string, Map<string, string>>();
  let command: string | undefined;
  for (const line of text.split('\n')) {
    const heading = /^## `rxnn (\w+)` flags/.exec(line);
    if (heading !== null) command = heading[1];
    else if (line.startsWith('## ')) command = undefined;
    const cell = /^\| `((?:[^`\\]|\\.)+)`/.exec(line)?.[1]?.replaceAll('\\|', '|');
    if (cell === undefined) continue;
    const starts = /^rxnn (\w+)/.exec(cell);
    if (starts !== null) command = starts[1];
    const flag = /^(--[a-z0-9-]+) (\S+)$/.exec(cell);
    if (flag !== null && command !== undefined) {
      if (!tables.has(command)) tables.set(command, new Map());
      tables.get(command)!.set(flag[1]!, flag[2]!);
    }
  }
  return tables;
}

describe('--help guides', () => {
  it('every flag that takes a value shows a placeholder, in every command', async () => {
    for (const command of await helpCommands()) {
      for (const [flag, { placeholder, text }] of await helpOptions(command)) {
        if (text.includes('[boolean]')) expect(placeholder, `rxnn ${command} ${flag}`).toBeUndefined();
        else expect(placeholder, `rxnn ${command} --help: ${text}`).toMatch(/^\S+$/);
      }
    }
  });

  it('shows the placeholders the README tables show', async () => {
    const tables = await readmePlaceholders();
    expect(tables.get('train')?.get('--out')).toBe('DIR');
    for (const [command, flags] of tables) {
      const help = await helpOptions(command);
      for (const [flag, placeholder] of flags) expect(`${flag} ${help.get(flag)?.placeholder}`, `rxnn ${command}`).toBe(`${flag} ${placeholder}`);
    }
  });

  it('gives two or three examples per command, and no line wider than 110 columns', async () => {
    for (const command of await helpCommands()) {
      const help = await runRxnn([command, '--help']);
      const examples = help.stdout.split('\nExamples:\n')[1]?.split('\n').filter((l) => l.startsWith(`  rxnn ${command}`)) ?? [];
      expect(examples.length, `rxnn ${command} --help examples`).toBeGreaterThanOrEqual(2);
      expect(examples.length, `rxnn ${command} --help examples`).toBeLessThanOrEqual(3);
      for (const line of help.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(110);
    }
  });
});
