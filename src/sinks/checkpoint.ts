import { from, type MonoTypeOperatorFunction } from 'rxjs';
import { concatEach } from '../core/concat-each.js';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSafetensors, type NamedTensor } from '../formats/safetensors.js';
import { errorCode, fileError } from '../core/file-errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export interface Checkpoint {
  readonly tensors: readonly NamedTensor[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where in a run a checkpoint was taken: at the end of `epoch`, or `step` updates into it. */
export interface CheckpointPosition {
  readonly epoch: number;
  /** Updates made in the epoch, for a checkpoint taken before the epoch's end. */
  readonly step?: number | undefined;
}

/** epoch-0003.safetensors at an epoch's end; epoch-0003-step-000250.safetensors inside one. */
export function checkpointFileName(epoch: number, step?: number): string {
  const base = `epoch-${String(epoch).padStart(4, '0')}`;
  return step === undefined ? `${base}.safetensors` : `${base}-step-${String(step).padStart(6, '0')}.safetensors`;
}

export function parseCheckpointFileName(name: string): CheckpointPosition | undefined {
  const match = /^epoch-(\d+)(?:-step-(\d+))?\.safetensors$/.exec(name);
  if (match === null) return undefined;
  return { epoch: Number(match[1]), step: match[2] === undefined ? undefined : Number(match[2]) };
}

/** Negative if `a` was taken earlier in the run than `b`. */
export function compareCheckpointPositions(a: CheckpointPosition, b: CheckpointPosition): number {
  return a.epoch - b.epoch || (a.step ?? Infinity) - (b.step ?? Infinity) || 0;
}

/** The checkpoint files in `dir`, oldest first (by position in the run, not by file time). */
export async function listCheckpoints(dir: string): Promise<{ name: string; position: CheckpointPosition }[]> {
  const names = await readdir(dir).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? [] : Promise.reject(fileError(dir, 'read the folder', error))));
  return names
    .flatMap((name) => {
      const position = parseCheckpointFileName(name);
      return position === undefined ? [] : [{ name, position }];
    })
    .sort((a, b) => compareCheckpointPositions(a.position, b.position));
}

export interface SaveCheckpointOptions {
  /** Other names in the same folder to write the same bytes to first (e.g. best.safetensors). */
  readonly copies?: readonly string[];
  /** Keep only the newest `keep` checkpoint files once this one is written (default: all). */
  readonly keep?: number | undefined;
}

/**
 * Writes a checkpoint atomically as `dir/checkpointFileName(position)` and
 * returns that file name; then deletes the oldest checkpoints beyond `keep`.
 */
export async function saveCheckpoint(
  dir: string,
  position: CheckpointPosition,
  checkpoint: Checkpoint,
  options: SaveCheckpointOptions = {},
): Promise<string> {
  const bytes = encodeSafetensors(checkpoint.tensors, checkpoint.metadata);
  for (const copy of options.copies ?? []) await writeFileAtomic(join(dir, copy), bytes);
  const name = checkpointFileName(position.epoch, position.step);
  await writeFileAtomic(join(dir, name), bytes);
  if (options.keep !== undefined) {
    const all = await listCheckpoints(dir);
    for (const old of all.slice(0, Math.max(0, all.length - options.keep))) {
      if (old.name !== name) await rm(join(dir, old.name), { force: true });
    }
  }
  return name;
}

export interface WriteCheckpointsOptions<T> {
  readonly dir: string;
  /** For items that close an epoch: its number and what to save. Undefined for other items. */
  readonly checkpointOf: (item: T) => { epoch: number; checkpoint: Checkpoint; copies?: readonly string[] } | undefined;
  /** Keep only the newest `keep` checkpoint files (default: all). */
  readonly keep?: number | undefined;
}

/**
 * A sink writing `DIR/epoch-NNNN.safetensors` for each item that closes an
 * epoch. The item is passed on only once its checkpoint is on disk.
 */
export function writeCheckpoints<T>(options: WriteCheckpointsOptions<T>): MonoTypeOperatorFunction<T> {
  const { dir, checkpointOf, keep } = options;
  return concatEach((item: T) => {
    const due = checkpointOf(item);
    if (due === undefined) return item;
    return from(saveCheckpoint(dir, { epoch: due.epoch }, due.checkpoint, { keep, copies: due.copies }).then(() => item));
  });
}
