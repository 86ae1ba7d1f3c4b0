// The README's code blocks, run as written: every JavaScript block in a project folder as a reader would save
// it, every command line checked against the flags its command's --help lists, output samples marked `text`.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledMnist } from '../../src/index.js';
import { runRxnn } from '../cli/run-rxnn.js';
import { helpCommands, helpFlags } from '../helpers/help-flags.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = await readFile(join(ROOT, 'README.md'), 'utf8');

interface Block {
  readonly language: string;
  readonly code: string;
  /** The `## ` section it is in. */
  readonly section: string;
  /** Line number of its opening fence, from 1. */
  readonly line: number;
}

function readmeBlocks(): Block[] {
  const blocks: Block[] = [];
  const lines = README.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)$/.exec(lines[i]!);
    if (heading !== null) section = heading[1]!;
    const fence = /^(\s*)```(.*)$/.exec(lines[i]!);
    if (fence === null) continue;
    const indent = fence[1]!.length;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    expect(end, `README.md:${i + 1}: unclosed block`).toBeGreaterThan(i);
    const code = lines.slice(i + 1, end).map((l) => l.slice(indent)).join('\n') + '\n';
    blocks.push({ language: fence[2]!.trim(), code, section, line: i + 1 });
    i = end;
  }
  return blocks;
}

const BLOCKS = readmeBlocks();
const RUNNABLE = ['js', 'mjs', 'javascript', 'ts', 'typescript'];

/** The block right after `block` (the README shows what a program prints there). */
function blockAfter(block: Block): Block {
  const next = BLOCKS[BLOCKS.indexOf(block) + 1];
  expect(next, `README.md:${block.line}: no output block after it`).toBeDefined();
  return next!;
}

function jsBlock(section: string): Block {
  const found = BLOCKS.filter((b) => RUNNABLE.includes(b.language) && b.section === section);
  expect(found.length, `JavaScript blocks in "${section}"`).toBe(1);
  return found[0]!;
}

const cleanups: string[] = [];
afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

describe("the README's code blocks", () => {
  it('every block names its language; output samples are `text`', () => {
    expect(BLOCKS.length).toBeGreaterThan(20);
    for (const b of BLOCKS) expect(['sh', 'js', 'python', 'yaml', 'text'], `README.md:${b.line}: fence language "${b.language}"`).toContain(b.language);
  });

  it('every JavaScript or TypeScript block is one of those run below', () => {
    const runnable = BLOCKS.filter((b) => RUNNABLE.includes(b.language)).map((b) => b.section);
    expect(runnable).toEqual(['Exporting a model', 'Compose your own pipeline', 'A whole run in code']);
  });

  it('the library example trains on the bundled MNIST with the wasm kernels and prints what the README shows', { timeout: 180_000 }, async () => {
    const block = jsBlock('Compose your own pipeline');
    expect(block.code).toContain("kernelsFor('wasm'");
    // Saved in a folder of the project, as in a reader's project with rxnn installed: `rxnn` resolves to this package.
    const project = await mkdtemp(join(ROOT, '.readme-run-'));
    cleanups.push(project);
    await writeFile(join(project, 'pipeline.mjs'), block.code);
    const run = spawnSync(process.execPath, ['pipeline.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const printed = blockAfter(block);
    expect(printed.language).toBe('text');
    const withoutSeconds = (text: string): string[] => text.trimEnd().split('\n').map((l) => l.replace(/\s+\d+\.\d s$/, ''));
    expect(withoutSeconds(run.stdout)).toEqual(withoutSeconds(printed.code));
    expect(run.stdout).toMatch(/^epoch 1: .* \d+\.\d s$/m);
  });

  it("the onnxruntime-web example prints rxnn predict's classes and probabilities", { timeout: 180_000 }, async () => {
    const code = jsBlock('Exporting a model').code;
    const slice = await writeMnistSlice(2000, 100);
    cleanups.push(slice.dir);
    const data = ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
    // The example's paths, relative to a folder that holds the run and the packages, as a project root does.
    const project = join(slice.dir, 'project');
    await mkdir(project);
    await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    const run = join(project, 'runs', 'lesson');
    expect((await runRxnn(['train', ...data, '--epochs', '1', '--quiet', '--out', run])).status).toBe(0);
    const checkpoint = join(run, 'checkpoints', 'epoch-0001.safetensors');
    expect((await runRxnn(['export', checkpoint, '--format', 'onnx', '--out', join(run, 'model.onnx')])).status).toBe(0);
    await writeFile(join(project, 'predict.mjs'), code);

    const example = spawnSync(process.execPath, ['predict.mjs'], { cwd: project, encoding: 'utf8' });
    expect(example.stderr).toBe('');
    expect(example.status).toBe(0);

    const predicted = await runRxnn(['predict', checkpoint, '--images', bundledMnist().test.images, '--top', '1']);
    const expected = predicted.stdout.split('\n').slice(1, 6).map((line) => {
      const [index, , best, p] = line.split(',');
      return `image ${index}: class ${best} (p = ${Number(p).toFixed(4)})`;
    });
    expect(example.stdout.trimEnd().split('\n')).toEqual(expected);
  });

  it('the whole run in code trains, records run.json, and rxnn runs lists it', { timeout: 180_000 }, async () => {
    const block = jsBlock('A whole run in code');
    expect(block.code).toContain('trainRun');
    const project = await mkdtemp(join(ROOT, '.readme-run-'));
    cleanups.push(project);
    await writeFile(join(project, 'run.mjs'), block.code);
    const example = spawnSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' });
    expect(example.stderr).toBe('');
    expect(example.status).toBe(0);
    expect(example.stdout).toMatch(/^test_acc 0\.\d+\n$/);
    const listed = await runRxnn(['runs', join(project, 'runs'), '--json']);
    expect(listed.status).toBe(0);
    const [row] = JSON.parse(listed.stdout);
    expect(row).toMatchObject({ run: 'in-code', status: 'completed', epochs: 1, test_acc: Number(example.stdout.split(' ')[1]) });
    expect(row.settings).toMatchObject({ hidden: '32', seed: '2', lr: '0.1' });
  });

  it('the sweep file shown is examples/lr-hidden.yaml, as linked', async () => {
    const shown = BLOCKS.find((b) => b.language === 'yaml' && b.section.startsWith('Sweeps'));
    expect(shown?.code).toBe(await readFile(join(ROOT, 'examples', 'lr-hidden.yaml'), 'utf8'));
  });
});

/** Every `rxnn COMMAND ...` in the README's blocks and inline code, with the flags given to it. */
function commandLines(readme: string, blocks: readonly Block[]): { command: string; flags: string[]; text: string }[] {
  const texts = [
    ...blocks.filter((b) => b.language !== 'js' && b.language !== 'python').map((b) => b.code.replace(/\\\n/g, ' ')),
    ...[...readme.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!),
  ];
  const found: { command: string; flags: string[]; text: string }[] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const code = line.replace(/(^|\s)#(?!!).*$/, ''); // a shell comment (not #!/bin/bash or #SBATCH's text, which holds no command)
      for (const m of code.matchAll(/(?:^|[\s("$])(?:npx )?rxnn ([a-z][\w-]*)((?:[^|;)&"]|&(?!&))*)/g)) {
        const flags = [...m[2]!.matchAll(/(?:^|\s)(--[a-z0-9-]+)/g)].map((f) => f[1]!);
        found.push({ command: m[1]!, flags, text: m[0].trim() });
      }
    }
  }
  return found;
}

describe("the README's command lines", () => {
  it('name real commands, with only the flags their --help lists', async () => {
    const commands = await helpCommands();
    const lines = commandLines(README, BLOCKS);
    expect(lines.length).toBeGreaterThan(40);
    const help = new Map<string, Set<string>>();
    for (const command of new Set(lines.map((l) => l.command))) {
      expect(commands, `rxnn ${command}`).toContain(command);
      help.set(command, await helpFlags(command));
    }
    for (const { command, flags, text } of lines) {
      const known = help.get(command)!;
      for (const flag of flags) {
        const real = known.has(flag) || flag === '--help' || flag === '--version' || (flag.startsWith('--no-') && known.has(`--${flag.slice(5)}`));
        expect(real, `README: ${text}: ${flag} is not in rxnn ${command} --help`).toBe(true);
      }
    }
  });

  it('catches a flag that does not exist', () => {
    const lines = commandLines('`npx rxnn train --epoch 3 | head`', []);
    expect(lines).toEqual([{ command: 'train', flags: ['--epoch'], text: 'npx rxnn train --epoch 3' }]);
  });
});
