import { appendFile, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';

export type CsvRow = Readonly<Record<string, string | number>>;

/** Creates a CSV file holding just the header line; fails if the file exists. */
export async function createCsv(path: string, columns: readonly string[]): Promise<void> {
  await writeFile(path, stringify([], { header: true, columns: [...columns] }), { flag: 'wx' });
}

/** Appends rows, with their values in `columns` order, and waits until they are written. */
export async function appendCsvRows(path: string, columns: readonly string[], rows: readonly CsvRow[]): Promise<void> {
  if (rows.length === 0) return;
  await appendFile(path, stringify(rows as CsvRow[], { columns: [...columns] }));
}
