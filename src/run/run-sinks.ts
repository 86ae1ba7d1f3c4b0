import { concatMap, defer, EMPTY, tap, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { formatMetricRow, type MetricTable } from '../core/metric-rows.js';
import { appendCsv } from '../sinks/append-csv.js';
import { truncateCsvRows, writeCsvHeader } from '../sinks/csv-file.js';
import type { RunEvent } from './run-event.js';
import type { CountedRecords, RunLedger } from './run-ledger.js';

/**
 * Something a run writes as it goes. Placed in runSinks, it is awaited at
 * every epoch boundary (the next epoch trains only once the sink has
 * passed on the epoch's report) and, if it counts its records, resumed exactly.
 */
export interface RunSink {
  /** Passes every event on; by the time an epoch's report leaves it, what it writes for that epoch is on disk. */
  readonly write: MonoTypeOperatorFunction<RunEvent>;
  /** For a sink that appends records: how it counts them and cuts its file back to a checkpoint's count. */
  readonly counted?: (CountedRecords & { readonly cutBack: (records: number) => Promise<void> }) | undefined;
}

/**
 * The run's extension point: feeds each event to the ledger, then through
 * every sink in order, and marks the epoch written once its report has
 * left the last one and gone on downstream (see trainingPasses). Put the checkpoint sink last, so
 * a checkpoint never counts records its files do not hold yet.
 */
export function runSinks(ledger: RunLedger, sinks: readonly RunSink[]): MonoTypeOperatorFunction<RunEvent> {
  return (events) =>
    sinks
      .reduce((stream, sink) => stream.pipe(sink.write), events.pipe(tap((e) => ledger.record(e))))
      // once the report has gone on downstream: a pass started while it is still being emitted would train ahead of what the consumer has seen
      .pipe(tap((e) => e.kind === 'epoch' && queueMicrotask(() => ledger.epochWritten(e.epoch))));
}

/**
 * `source` once per epoch from `first` on, each pass subscribed only once
 * every sink has written the epoch before it (so a checkpoint holds the
 * network as the epoch left it); no pass once `signal` is aborted.
 */
export function trainingPasses<T>(source: Observable<T>, ledger: RunLedger, first: number, signal?: AbortSignal): Observable<T> {
  let epoch = first;
  return defer(() => ledger.whenWritten(epoch++ - 1).pipe(concatMap(() => (signal?.aborted === true ? EMPTY : source))));
}

/** A sink appending one row of `table` to DIR/table.file for each event `figuresOf` gives figures for; written at each epoch's end. */
export function metricCsvSink<F, C extends string, O extends C>(dir: string, table: MetricTable<F, C, O>, figuresOf: (e: RunEvent) => F | undefined): RunSink {
  const path = join(dir, table.file);
  return {
    write: appendCsv<RunEvent>({
      path,
      columns: table.columns,
      row: (e) => {
        const figures = figuresOf(e);
        return figures === undefined ? undefined : formatMetricRow(table, table.row(figures));
      },
      flushAt: (e) => e.kind === 'epoch',
    }),
    counted: {
      name: table.file.replace(/\.csv$/, ''),
      records: (e) => (figuresOf(e) === undefined ? 0 : 1),
      cutBack: async (records) => {
        if (!(await access(path).then(() => true, () => false))) await writeCsvHeader(path, table.columns);
        await truncateCsvRows(path, records);
      },
    },
  };
}
