import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** The import rules' violations in `cwd`'s src/ (dependency-cruiser exits 0 only without any). */
async function violations(cwd: string): Promise<Violation[]> {
  const run = promisify(execFile)(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'json'], { cwd, maxBuffer: 64 << 20 });
  const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('imports point one way (.dependency-cruiser.cjs)', () => {
  it('holds for src/', async () => {
    const found = await violations(root);
    expect(found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  describe('on a tree that breaks every rule', () => {
    let dir = '';
    afterAll(() => rm(dir, { recursive: true, force: true }));

    /** [importing file, imported file, the rule it breaks ('': the cycle is reported once, at its other end)] */
    const bad: readonly (readonly [string, string, string])[] = [
      ['model/a.ts', 'sources/a.ts', 'model-not-to-sources'],
      ['model/b.ts', 'sinks/a.ts', 'model-not-to-sinks'],
      ['model/c.ts', 'operators/a.ts', 'model-not-to-operators'],
      ['model/d.ts', 'formats/a.ts', 'model-not-to-formats'],
      ['model/e.ts', 'cli/a.ts', 'model-not-to-cli'],
      ['operators/b.ts', 'model/f.ts', 'operators-not-to-model'],
      ['operators/c.ts', 'model/kernels/a.ts', 'operators-not-to-kernels'],
      ['operators/d.ts', 'cli/a.ts', 'operators-not-to-cli'],
      ['sources/b.ts', 'sinks/a.ts', 'sources-not-to-sinks'],
      ['sources/c.ts', 'cli/a.ts', 'sources-not-to-cli'],
      ['sinks/b.ts', 'cli/a.ts', 'sinks-not-to-cli'],
      ['run/a.ts', 'cli/a.ts', 'run-not-to-cli'],
      ['report/a.ts', 'run/b.ts', 'report-not-to-run'],
      ['model/kernels/b.ts', 'model/g.ts', 'kernels-not-to-model'],
      ['model/kernels/c.ts', 'operators/e.ts', 'kernels-only-to-core'],
      ['core/a.ts', 'operators/e.ts', 'core-only-to-core'],
      ['core/b.ts', 'core/c.ts', 'no-circular'],
      ['core/c.ts', 'core/b.ts', ''],
      ['cli/b.ts', 'cli/missing.ts', 'no-unresolvable'],
    ];

    it('reports each of them', async () => {
      dir = await mkdtemp(join(tmpdir(), 'rxnn-imports-'));
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }));
      const files = new Map<string, string[]>();
      for (const [from, to] of bad) {
        const lines = files.get(from) ?? [];
        lines.push(`import '${relativeImport(from, to)}';`);
        files.set(from, lines);
        if (!to.includes('missing') && !files.has(to)) files.set(to, []);
      }
      for (const [file, lines] of files) {
        const path = join(dir, 'src', file);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, `${lines.join('\n')}\nexport {};\n`);
      }
      const found = new Set((await violations(dir)).map((v) => `${v.rule.name}: ${v.from}`));
      for (const [from, , rule] of bad) if (rule !== '') expect(found, `${rule} for src/${from}`).toContain(`${rule}: src/${from}`);
    });
  });
});

function relativeImport(from: string, to: string): string {
  const up = from.split('/').length - 1;
  return `${up === 0 ? './' : '../'.repeat(up)}${to.replace(/\.ts$/, '.js')}`;
}
