import type { Normalization } from '../operators/normalize.js';
import type { IdxTypeName } from '../sources/idx-format.js';

/**
 * How raw values of each IDX type are scaled for the network: integer types
 * by their full range (unsigned bytes to 0..1, as the lesson does; signed
 * types to about -1..1), floating-point values as they are.
 */
export function normalizationFor(type: IdxTypeName): Normalization {
  switch (type) {
    case 'ubyte':
      return { scale: 1 / 255, offset: 0 };
    case 'byte':
      return { scale: 1 / 128, offset: 0 };
    case 'short':
      return { scale: 1 / 32768, offset: 0 };
    case 'int':
      return { scale: 1 / 2 ** 31, offset: 0 };
    case 'float':
    case 'double':
      return { scale: 1, offset: 0 };
  }
}
