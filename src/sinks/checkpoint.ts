import { concatMap, from, of, type MonoTypeOperatorFunction } from 'rxjs';
import { join } from 'node:path';
import { encodeSafetensors, type NamedTensor } from '../formats/safetensors.js';
import { writeFileAtomic } from './atomic-write.js';

export interface Checkpoint {
  readonly tensors: readonly NamedTensor[];
  readonly metadata: Readonly<Record<string, string>>;
}

export interface WriteCheckpointsOptions<T> {
  readonly dir: string;
  /** For items that close an epoch: its number and what to save. Undefined for other items. */
  readonly checkpointOf: (item: T) => { epoch: number; checkpoint: Checkpoint } | undefined;
}

export function checkpointFileName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}.safetensors`;
}

/**
 * A sink writing `DIR/epoch-NNNN.safetensors` for each item that closes an
 * epoch. The item is passed on only once its checkpoint is on disk.
 */
export function writeCheckpoints<T>(options: WriteCheckpointsOptions<T>): MonoTypeOperatorFunction<T> {
  const { dir, checkpointOf } = options;
  return concatMap((item) => {
    const due = checkpointOf(item);
    if (due === undefined) return of(item);
    const bytes = encodeSafetensors(due.checkpoint.tensors, due.checkpoint.metadata);
    return from(writeFileAtomic(join(dir, checkpointFileName(due.epoch)), bytes).then(() => item));
  });
}
