import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concat, from, lastValueFrom, map, throwError, toArray } from 'rxjs';
import { appendCsv, appendCsvRows, createCsv, truncateCsvRows } from '../../src/index.js';

type Item = { kind: 'row'; n: number } | { kind: 'boundary' };
const row = (n: number): Item => ({ kind: 'row', n });
const boundary: Item = { kind: 'boundary' };

async function csvFile(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'rxnn-csv-')), 'out.csv');
  await createCsv(path, ['n', 'square']);
  return path;
}

const sink = (path: string) =>
  appendCsv<Item>({
    path,
    columns: ['n', 'square'],
    row: (item) => (item.kind === 'row' ? { square: item.n * item.n, n: item.n } : undefined),
    flushAt: (item) => item.kind === 'boundary',
  });

describe('appendCsv', () => {
  it('writes the header once, and rows in column order', async () => {
    const path = await csvFile();
    await lastValueFrom(from([row(1), row(2), boundary, row(3)]).pipe(sink(path)));
    expect(await readFile(path, 'utf8')).toBe('n,square\n1,1\n2,4\n3,9\n');
  });

  it('has the rows on disk before it passes on the item that flushes them', async () => {
    const path = await csvFile();
    const onDiskWhenPassed = await lastValueFrom(
      from([row(5), boundary, row(6), boundary]).pipe(
        sink(path),
        // read at the instant of emission: that is the moment the promise is about
        map((item) => `${item.kind}: ${readFileSync(path, 'utf8')}`),
        toArray(),
      ),
    );
    expect(onDiskWhenPassed).toEqual([
      'row: n,square\n',
      'boundary: n,square\n5,25\n',
      'row: n,square\n5,25\n',
      'boundary: n,square\n5,25\n6,36\n',
    ]);
  });

  it('writes the rows it holds before passing on an error, so nothing computed is lost', async () => {
    const path = await csvFile();
    const failure = new Error('boom');
    await expect(lastValueFrom(concat(from([row(1), row(2)]), throwError(() => failure)).pipe(sink(path)))).rejects.toBe(failure);
    expect(await readFile(path, 'utf8')).toBe('n,square\n1,1\n2,4\n');
  });

  it('refuses to create a CSV over an existing file', async () => {
    const path = await csvFile();
    await expect(createCsv(path, ['n'])).rejects.toThrow(/already exists/);
  });
});

describe('truncateCsvRows', () => {
  it('cuts a CSV back to its header and first rows, and refuses to grow it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxnn-csv-'));
    const path = join(dir, 'rows.csv');
    await createCsv(path, ['n']);
    await appendCsvRows(path, ['n'], [{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await truncateCsvRows(path, 3)).toBe(3);
    expect(await truncateCsvRows(path, 1)).toBe(3);
    expect(await readFile(path, 'utf8')).toBe('n\n1\n');
    await expect(truncateCsvRows(path, 2)).rejects.toThrow(/has 1 rows, the checkpoint needs 2/);
    expect(await truncateCsvRows(path, 0)).toBe(1);
    expect(await readFile(path, 'utf8')).toBe('n\n');
    expect((await readdir(dir)).sort()).toEqual(['rows.csv']); // no temporary files left behind
  });
});
