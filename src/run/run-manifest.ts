import { join } from 'node:path';
import { RUN_JSON, type RunManifest as ManifestOf } from '../core/run-manifest.js';
import { writeFileAtomic, writeFileAtomicSync } from '../core/atomic-write.js';
import type { TrainSettings } from './settings.js';

export { readManifest, RUN_JSON, RUN_STATUSES, type RunInput, type RunStatus, type StoredRunManifest } from '../core/run-manifest.js';

/** DIR/run.json: what a run was asked to do, with what, and how it ended. */
export type RunManifest<Settings = TrainSettings> = ManifestOf<Settings>;

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(join(dir, RUN_JSON), manifestBytes(manifest));
}

/** writeManifest, synchronously: for a process that exits at once. */
export function writeManifestSync(dir: string, manifest: RunManifest): void {
  writeFileAtomicSync(join(dir, RUN_JSON), manifestBytes(manifest));
}

function manifestBytes(manifest: RunManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}
