import { catchError, concat, concatMap, defer, EMPTY, from, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { concatEach } from '../core/concat-each.js';
import { appendCsvRows, type CsvRow } from './csv-file.js';

export interface AppendCsvOptions<T> {
  /** An existing CSV file (see createCsv) whose header is `columns`. */
  readonly path: string;
  readonly columns: readonly string[];
  /** The row an item contributes, if any. */
  readonly row: (item: T) => CsvRow | undefined;
  /** Whether to write the rows gathered so far once this item has arrived. */
  readonly flushAt: (item: T) => boolean;
}

/**
 * A sink: gathers rows from the items passing through and appends them to
 * a CSV file at each flush point, at completion, and before passing on an
 * error. An item that triggers a flush is emitted only once the rows are
 * written.
 */
export function appendCsv<T>(options: AppendCsvOptions<T>): MonoTypeOperatorFunction<T> {
  const { path, columns, row, flushAt } = options;
  return (source) =>
    defer(() => {
      let pending: CsvRow[] = [];
      const flush = async (): Promise<void> => {
        const rows = pending;
        pending = [];
        await appendCsvRows(path, columns, rows);
      };
      const written = source.pipe(
        concatEach((item: T) => {
          const value = row(item);
          if (value !== undefined) pending.push(value);
          return flushAt(item) ? from(flush().then(() => item)) : item;
        }),
        catchError((error: unknown) => from(flush()).pipe(concatMap(() => throwError(() => error)))),
      );
      return concat(written, defer(() => from(flush())).pipe(concatMap(() => EMPTY)));
    });
}
