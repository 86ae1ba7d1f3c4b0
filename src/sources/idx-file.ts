import { InputError } from '../core/errors.js';
import { collectTensor } from './idx-consumers.js';
import type { IdxTensor } from './idx-format.js';
import { readIdxSource, type IdxSourceRead, type SourceOptions } from './idx-source.js';
import { parseLocation } from './location.js';

/** Reads a whole IDX input (a path or an http(s) URL, plain or gzip) into memory. */
export function readIdx(given: string, options: SourceOptions): Promise<IdxSourceRead<IdxTensor>> {
  return readIdxSource(given, options, collectTensor);
}

/** Reads a whole local IDX file, plain or gzip, into memory. */
export async function readIdxFile(path: string): Promise<IdxTensor> {
  if (parseLocation(path).kind === 'url') throw new InputError(`${path}: a URL; use readIdx with source options`);
  return (await readIdx(path, { cacheDir: '', offline: true })).result;
}
