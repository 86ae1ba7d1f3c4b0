// Runs the JavaScript block of the README's "Exporting a model" as written, on a model rxnn exported.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bundledMnist } from '../../src/index.js';
import { runRxnn } from '../cli/run-rxnn.js';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function readmeBlock(section: string, language: string): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  expect(start).toBeGreaterThan(0);
  const body = readme.slice(start + 1).split(/\n## /)[0]!;
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(body);
  expect(block).not.toBeNull();
  return block![1]!;
}

it("the README's onnxruntime-web example prints rxnn predict's classes and probabilities", async () => {
  const code = await readmeBlock('Exporting a model', 'js');
  const slice = await writeMnistSlice(2000, 100);
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
