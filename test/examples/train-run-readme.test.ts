// Runs the README's "A whole run in code" block as written, in a project that depends on rxnn, then lists the run with rxnn runs.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runRxnn } from '../cli/run-rxnn.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

it("the README's whole run in code trains, records run.json, and rxnn runs lists it", async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('A whole run in code'));
  const code = /```ts\n([\s\S]*?)```/.exec(after)?.[1];
  expect(code).toContain('trainRun');
  const project = await mkdtemp(join(tmpdir(), 'rxnn-readme-run-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(ROOT, join(project, 'node_modules', 'rxnn'), 'dir');
  await symlink(join(ROOT, 'node_modules', 'rxjs'), join(project, 'node_modules', 'rxjs'), 'dir');
  await writeFile(join(project, 'run.mjs'), code!);

  const example = spawnSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' });
  expect(example.stderr).toBe('');
  expect(example.status).toBe(0);
  expect(example.stdout).toMatch(/^test_acc 0\.\d+\n$/);

  const listed = await runRxnn(['runs', join(project, 'runs'), '--json']);
  expect(listed.status).toBe(0);
  const [row] = JSON.parse(listed.stdout);
  expect(row).toMatchObject({ run: 'in-code', status: 'completed', epochs: 1, test_acc: Number(example.stdout.split(' ')[1]) });
  expect(row.settings).toMatchObject({ hidden: '32', seed: '2', lr: '0.1' });
}, 120_000);
