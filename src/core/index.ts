// The public part of the neutral core: the stream protocol, tensor types and errors every part shares.
export { EpochEnd, isEpochEnd } from './epoch-end.js';
export { concatEach } from './concat-each.js';
export { sampleShapeOf, type Batch } from './batch.js';
export type { DType, FloatArray, NamedTensor } from './dtype.js';
export type { Allocator, Pending, SparseMatrix } from './allocator.js';
export { plainAllocator } from './plain-allocator.js';
export { InputError, SettingError, Stopped } from './errors.js';
export { FileError } from './file-errors.js';
export { Random } from './random.js';
export { RandomStream } from './random-streams.js';
export { writeFileAtomic, type AtomicWriteOptions } from './atomic-write.js';
