export { encodeIdx, type IdxData, type IdxHeader, type IdxTensor, type IdxTypeName } from './idx-format.js';
export { readIdx, readIdxFile } from './idx-file.js';
export { DownloadError, type HttpOptions } from './http-body.js';
export { defaultCacheDir } from './download-cache.js';
export type { DownloadEvent, SourceOptions } from './idx-source.js';
export {
  DEFAULT_MEMORY_BUDGET,
  loadDataset,
  MAX_CLASSES,
  pairDataset,
  type Dataset,
  type DatasetFiles,
  type DatasetShape,
  type InMemoryDataset,
  type LabelArray,
  type LoadDatasetOptions,
  type StreamedDataset,
} from './dataset.js';
export { samples, StoredSample, type Sample } from './samples.js';
export { bundledMnist, type MnistFiles } from './mnist.js';
export { inspectIdx, type IdxInspection } from './inspect.js';
export { parseValidationSize, splitValidation, validationCount, type ValidationSplit } from './validation-split.js';
