import { lstat, mkdtemp, readdir, readFile, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, writeFileAtomic } from '../../src/index.js';

const folder = (): Promise<string> => mkdtemp(join(tmpdir(), 'rxnn-atomic-'));

describe('writeFileAtomic and planted symbolic links', () => {
  it('never follows a link planted at the temporary name: it takes another name, and the link target is untouched', async () => {
    const dir = await folder();
    const outside = join(await folder(), 'precious.txt');
    await writeFile(outside, 'keep me');
    const names = ['guessed', 'fresh'];
    await symlink(outside, join(dir, '.run.json.guessed.tmp'));
    await writeFileAtomic(join(dir, 'run.json'), new TextEncoder().encode('{}\n'), { randomName: () => names.shift()! });
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    expect(await readFile(join(dir, 'run.json'), 'utf8')).toBe('{}\n');
    expect((await lstat(join(dir, '.run.json.guessed.tmp'))).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['.run.json.guessed.tmp', 'run.json']);
  });

  it('uses a new random name every time (nothing predictable such as the process id)', async () => {
    const dir = await folder();
    const outside = join(await folder(), 'precious.txt');
    await writeFile(outside, 'keep me');
    // The names earlier versions used: .NAME.PID.tmp
    await symlink(outside, join(dir, `.steps.csv.${process.pid}.tmp`));
    await writeFileAtomic(join(dir, 'steps.csv'), new TextEncoder().encode('a\n'));
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    expect(await readFile(join(dir, 'steps.csv'), 'utf8')).toBe('a\n');
  });

  it('names the file, with the reason, when the folder cannot be written; nothing is left behind', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a file where a folder should be fails for every user
      const dir = await folder();
      await writeFile(join(dir, 'notafolder'), '');
      const error = await writeFileAtomic(join(dir, 'notafolder', 'run.json'), new Uint8Array(1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileError);
      expect((error as Error).message).toBe(`${join(dir, 'notafolder', 'run.json')}: cannot write: a part of the path is not a folder (ENOTDIR)`);
      return;
    }
    const dir = await folder();
    await chmod(dir, 0o500);
    const error = await writeFileAtomic(join(dir, 'run.json'), new Uint8Array(1)).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${join(dir, 'run.json')}: cannot write: permission denied (EACCES)`);
  });
});
