import { closeSync, openSync, writeSync } from 'node:fs';
import { fileError } from '../core/file-errors.js';
import type { RunEvent } from '../run/train-run.js';
import { EPOCH_TABLE } from '../core/metric-rows.js';

/**
 * `--log-json FILE|-`: one JSON object per line as the run goes, for tools
 * that follow it live: every epoch ({"kind":"epoch", the epochs.csv columns})
 * and, with `every`, every N-th step ({"kind":"step",epoch,iteration,loss}).
 * A file is appended to (a resumed run goes on in the same file); `-` is stdout,
 * before the final summary line.
 */
export function createJsonLog(target: string, every: number | undefined): { readonly write: (event: RunEvent) => void; readonly close: () => void } {
  const fd = target === '-' ? undefined : open(target);
  const put = (object: object): void => {
    const line = `${JSON.stringify(object)}\n`;
    if (fd === undefined) {
      process.stdout.write(line);
      return;
    }
    try {
      writeSync(fd, line);
    } catch (error) {
      throw fileError(target, 'write the JSON log', error);
    }
  };
  return {
    write: (event) => {
      if (event.kind === 'epoch') {
        put({ kind: 'epoch', ...EPOCH_TABLE.row(event) });
      } else if (event.kind === 'step' && every !== undefined && event.iteration % every === 0) {
        put({ kind: 'step', epoch: event.epoch, iteration: event.iteration, loss: event.loss });
      }
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

function open(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    throw fileError(path, 'open the JSON log', error);
  }
}
