import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSafetensors } from '../formats/safetensors.js';
import { listCheckpoints } from '../sinks/checkpoint.js';
import { checkResumePoint, type ResumeExpectations, type ResumePoint } from './check-resume-point.js';
import { readTrainingState } from './training-state.js';

export type { ResumePoint } from './check-resume-point.js';

/**
 * The newest checkpoint in `checkpointsDir` that can be read and holds a
 * training state (with `expected`: one that checks out for this run's model,
 * optimizer and epoch length); the others are reported to `skipped` and
 * passed over. Undefined when there is none (the run starts from the beginning).
 */
export async function findResumePoint(
  checkpointsDir: string,
  skipped: (name: string, problem: string) => void = () => undefined,
  expected?: ResumeExpectations,
): Promise<ResumePoint | undefined> {
  const all = await listCheckpoints(checkpointsDir);
  for (const { name } of all.reverse()) {
    const path = join(checkpointsDir, name);
    try {
      const bytes = await readFile(path);
      const file = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
      const point = { name, file, state: readTrainingState(file, path) };
      if (expected !== undefined) checkResumePoint(point, expected, path);
      return point;
    } catch (error) {
      skipped(name, (error as Error).message);
    }
  }
  return undefined;
}
