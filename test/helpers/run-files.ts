import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors } from '../../src/index.js';

import { withoutSeconds } from './csv.js';

export { withoutSeconds } from './csv.js';

export interface RunOutcome {
  readonly epochs: string;
  readonly steps: string;
  readonly tensors: Record<string, number[]>;
}

/** What a run folder computed: its CSVs (but for seconds) and the tensors of one checkpoint. */
export async function runOutcome(dir: string, checkpoint: string): Promise<RunOutcome> {
  const file = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'checkpoints', checkpoint))), dir);
  return {
    epochs: withoutSeconds(await readFile(join(dir, 'epochs.csv'), 'utf8')),
    steps: await readFile(join(dir, 'steps.csv'), 'utf8'),
    tensors: Object.fromEntries(file.tensors.map((t) => [t.name, Array.from(t.data)])),
  };
}

const FAULTS = fileURLToPath(new URL('./fs-faults.mjs', import.meta.url));

/** Environment for rxnn in which writes to files whose path contains `full` fail with ENOSPC, and/or folder fsyncs are logged. */
export function faultyEnv(faults: { full?: string; syncLog?: string }): NodeJS.ProcessEnv {
  return {
    NODE_OPTIONS: `--import=${FAULTS}`,
    ...(faults.full === undefined ? {} : { RXNN_TEST_ENOSPC: faults.full }),
    ...(faults.syncLog === undefined ? {} : { RXNN_TEST_SYNC_LOG: faults.syncLog }),
  };
}
