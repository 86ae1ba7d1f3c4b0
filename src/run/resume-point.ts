import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSafetensors, type SafetensorsFile } from '../formats/safetensors.js';
import { listCheckpoints } from '../sinks/checkpoint.js';
import { readTrainingState, type TrainingState } from './training-state.js';

/** A checkpoint a run can continue from. */
export interface ResumePoint {
  /** The checkpoint file's name in the run's checkpoints/ folder. */
  readonly name: string;
  readonly file: SafetensorsFile;
  readonly state: TrainingState;
}

/**
 * The newest checkpoint in `checkpointsDir` that can be read and holds a
 * training state; unreadable ones are reported to `skipped` and passed
 * over. Undefined when there is none (the run starts from the beginning).
 */
export async function findResumePoint(
  checkpointsDir: string,
  skipped: (name: string, problem: string) => void = () => undefined,
): Promise<ResumePoint | undefined> {
  const all = await listCheckpoints(checkpointsDir);
  for (const { name } of all.reverse()) {
    const path = join(checkpointsDir, name);
    try {
      const bytes = await readFile(path);
      const file = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
      return { name, file, state: readTrainingState(file, path) };
    } catch (error) {
      skipped(name, (error as Error).message);
    }
  }
  return undefined;
}
