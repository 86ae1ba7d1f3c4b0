import type { EpochRow } from '../report/run-metrics.js';
import { fitLine } from './fit-line.js';

/**
 * The few lines a person wants when a run ends (stderr; stdout keeps its one
 * JSON line): the final and the best epoch, the total time, the folder.
 */
export function trainSummaryTable(rows: readonly EpochRow[], seconds: number, outDir: string, width?: number): string {
  const last = rows.at(-1);
  if (last === undefined) return '';
  // with a validation set, the best epoch is the validation set's choice: the test set stays out of it
  const selected = (r: EpochRow): number => r.val_acc ?? r.test_acc;
  const best = rows.reduce((a, b) => (selected(b) > selected(a) ? b : a));
  const line = (name: string, r: EpochRow): string =>
    fitLine(
      [
        { text: `  ${name.padEnd(6)}epoch ${String(r.epoch).padStart(String(last.epoch).length)}`, drop: 0 },
        { text: `train_acc ${r.train_acc.toFixed(4)}`, drop: 2 },
        ...(r.val_acc === undefined ? [] : [{ text: `val_acc ${r.val_acc.toFixed(4)}`, drop: 1 }]),
        { text: `test_acc ${r.test_acc.toFixed(4)}`, drop: 1 },
        { text: `test_loss ${r.test_loss.toFixed(4)}`, drop: 3 },
      ],
      width,
    );
  return [`rxnn: done in ${seconds.toFixed(1)} s, ${last.iteration} steps, in ${outDir}`, line('final', last), line('best', best)].join('\n') + '\n';
}
