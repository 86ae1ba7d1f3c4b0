export {
  checkTrainSettings,
  learningRateSchedule,
  LESSON_SETTINGS,
  SAMPLERS,
  type DataSettings,
  type ModelSettings,
  type OptimizerSettings,
  type RunSettings,
  type Sampler,
  type ScheduleSettings,
  type TrainSettings,
} from './settings.js';
export { BEST_CHECKPOINT, CHECKPOINTS_DIR, EPOCHS_CSV, RUN_JSON, STEPS_CSV, type RunDirectory } from './run-directory.js';
export * from './train-run.js';
export { normalizationFor } from './input-normalization.js';
export * from './presets.js';
export { loadCheckpoint, type LoadCheckpointOptions, type LoadedCheckpoint } from './load-checkpoint.js';
export { findResumePoint, type ResumePoint } from './resume-point.js';
export { readManifest, type RunManifest, type RunStatus, type StoredRunManifest } from './run-manifest.js';
export { lockRunFolder, RunFolderBusy, type LockHolder, type RunLock } from './run-lock.js';
export { parseModelMetadata } from './model-metadata.js';
export { runSinks, metricCsvSink, type RunSink } from './run-sinks.js';
export { RunLedger, type CountedRecords, type LedgerRules } from './run-ledger.js';
export { parseEarlyStop, type EarlyStop } from './early-stop.js';
