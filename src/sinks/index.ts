export { writeFileAtomic, type AtomicWriteOptions } from '../core/atomic-write.js';
export { appendCsvRows, createCsv, lastCsvValue, truncateCsvRows, type CsvRow } from './csv-file.js';
export { appendCsv, type AppendCsvOptions } from './append-csv.js';
export {
  checkpointFileName,
  listCheckpoints,
  saveCheckpoint,
  writeCheckpoints,
  type Checkpoint,
  type CheckpointPosition,
  type SaveCheckpointOptions,
  type WriteCheckpointsOptions,
} from './checkpoint.js';
export { decodeSafetensors, encodeSafetensors, type NamedTensor, type SafetensorsFile } from '../formats/safetensors.js';
