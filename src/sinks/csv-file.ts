import { readFile, stat } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { joinBytes } from '../core/bytes.js';
import { InputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export type CsvRow = Readonly<Record<string, string | number>>;

/** Creates a CSV file holding just the header line; fails if the file exists. */
export async function createCsv(path: string, columns: readonly string[]): Promise<void> {
  const exists = await stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  );
  if (exists) throw new InputError(`${path}: already exists`);
  await writeCsvHeader(path, columns);
}

/** Writes (or replaces) a CSV file holding just the header line. */
export async function writeCsvHeader(path: string, columns: readonly string[]): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(stringify([], { header: true, columns: [...columns] })));
}

/**
 * Appends rows, with their values in `columns` order. The file is replaced
 * as a whole (temporary file, fsync, rename), so a crash leaves either the
 * old rows or all of the new ones, never half a line.
 */
export async function appendCsvRows(path: string, columns: readonly string[], rows: readonly CsvRow[]): Promise<void> {
  if (rows.length === 0) return;
  const existing = await readFile(path);
  const added = Buffer.from(stringify(rows as CsvRow[], { columns: [...columns] }));
  await writeFileAtomic(path, joinBytes([existing, added]));
}

/**
 * Cuts a CSV file back to its header and first `rows` rows (one line each)
 * and returns how many rows it had. Fails if it has fewer.
 */
export async function truncateCsvRows(path: string, rows: number): Promise<number> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: cannot read (${error.code ?? error.message})`);
  });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const had = Math.max(0, lines.length - 1);
  if (had < rows) throw new InputError(`${path}: has ${had} rows, the checkpoint needs ${rows}`);
  if (had > rows) await writeFileAtomic(path, new TextEncoder().encode(lines.slice(0, rows + 1).join('\n') + '\n'));
  return had;
}

/** The number in `column` of the last row of a CSV file written by these functions, if it has rows. */
export async function lastCsvValue(path: string, column: string): Promise<number | undefined> {
  const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
  const index = lines[0]!.split(',').indexOf(column);
  if (lines.length < 2 || index < 0) return undefined;
  const value = Number(lines.at(-1)!.split(',')[index]);
  return Number.isFinite(value) ? value : undefined;
}
