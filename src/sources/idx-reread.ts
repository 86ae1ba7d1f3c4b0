import { InputError } from '../core/errors.js';
import { openFileChunks } from './file-chunks.js';
import type { IdxConsumerFactory } from './idx-chunks.js';
import { readIdxInput } from './idx-input.js';
import type { IdxHeader } from './idx-format.js';
import type { IdxSourceFacts } from './idx-source.js';

/**
 * Reads an IDX input that was read (and checked) before once more from its
 * local file (a URL's cache file), plain or gzip; a file whose header has
 * changed since is an InputError. Resolves as readIdxChunks does.
 */
export async function rereadIdx<R>(facts: IdxSourceFacts, consume: IdxConsumerFactory<R>): Promise<{ readonly result: R } | undefined> {
  const { name, path, header: checked } = facts;
  const file = await openFileChunks(path, name);
  const { read } = await readIdxInput(
    file.chunks,
    name,
    (header, context) => {
      checkUnchanged(header, checked, name);
      return consume(header, context);
    },
    { size: file.size },
  );
  return read;
}

function checkUnchanged(header: IdxHeader, checked: IdxHeader, name: string): void {
  if (header.type !== checked.type || header.dims.join('x') !== checked.dims.join('x')) {
    throw new InputError(
      `${name}: changed while training: now ${header.dims.join('x')} ${header.type}, was ${checked.dims.join('x')} ${checked.type}`,
    );
  }
}
