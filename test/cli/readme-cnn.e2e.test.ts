import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The `npx rxnn …` lines of the README section's sh block, split into arguments as a shell would (double quotes). */
async function sectionCommands(heading: string): Promise<string[][]> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = text.split(`\n## ${heading}\n`)[1]!.split('\n## ')[0]!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split('\n')
    .filter((line) => line.startsWith('npx rxnn '))
    .map((line) => [...line.slice('npx rxnn '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
}

let slice: SliceFiles;
beforeAll(async () => {
  slice = await writeMnistSlice(300, 100);
});

describe('the README\'s "Convolutional networks" section', () => {
  it('runs every command as written (train on a slice of MNIST, so the test stays fast)', async () => {
    const commands = await sectionCommands('Convolutional networks');
    expect(commands.map((c) => c[0])).toEqual(['gradcheck', 'train', 'train']);
    for (const [i, args] of commands.entries()) {
      const data = ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
      const extra = args[0] === 'train' ? [...data, '--out', join(slice.dir, `run-${i}`)] : [];
      const result = await runRxnn([...args, ...extra], { cwd: ROOT });
      expect(result.stderr.split('\n').filter((l) => l.startsWith('rxnn: ') && !/^rxnn: (training|done)/.test(l))).toEqual([]);
      expect(result.status).toBe(0);
      if (args[0] === 'gradcheck') expect(result.stdout).toMatch(/^PASS/m);
      else expect(JSON.parse(result.stdout).status).toBe('completed');
    }
  });

  it('quotes the errors rxnn gives', async () => {
    const text = await readFile(join(ROOT, 'README.md'), 'utf8');
    const token = await runRxnn(['gradcheck', '--layers', 'dense:10,relu,conv:16']);
    const layer = await runRxnn(['gradcheck', '--layers', 'conv:16:3,relu,maxpool:2,maxpool:2,flatten,dense:10']);
    for (const result of [token, layer]) {
      expect(result.status).toBe(2);
      const message = result.stderr.trim().replace(/^rxnn: /, '');
      expect(text.replace(/\n/g, ' ')).toContain(`\`${message}\``);
    }
  });
});
