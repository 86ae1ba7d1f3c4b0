import { isEpochEnd } from '../../src/index.js';

/** The values of each epoch of a marked stream's output, in emitted order. */
export function splitEpochs<T>(items: readonly unknown[]): T[][] {
  const epochs: T[][] = [[]];
  for (const item of items) {
    if (isEpochEnd(item)) epochs.push([]);
    else epochs[epochs.length - 1]!.push(item as T);
  }
  return epochs.slice(0, -1);
}
