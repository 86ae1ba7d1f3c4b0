import { createRequire } from 'node:module';

/** The version of the rxnn package this code belongs to. */
export const RXNN_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
