import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { helpFlags } from '../helpers/help-flags.js';

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
