import type { Argv } from 'yargs';
import { defaultCacheDir } from '../sources/download-cache.js';
import { findChecksum, parseChecksumEntry, type ChecksumEntry } from '../sources/checksum.js';
import type { DownloadEvent, SourceOptions } from '../sources/idx-source.js';
import { locationBaseName, parseLocation } from '../sources/location.js';
import { parseInteger, parsePath, parsePositiveNumber, parseRepeated } from './parse-flags.js';
import { UsageError } from './usage-error.js';

export interface SourceArgs {
  cacheDir?: string;
  offline: boolean;
  sha256: ChecksumEntry[];
  timeout: number;
  retries: number;
}

const GROUP = 'Fetching and checking inputs:';

/** Node's timers wait at most 2^31 - 1 ms; a longer --timeout would fire at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Retry k waits 2^k s: the 20th waits about 12 days, still within a timer's range. */
export const MAX_RETRIES = 20;

function parseAtMost(flag: string, parse: (value: unknown) => number, most: number): (value: unknown) => number {
  return (value) => {
    const number = parse(value);
    if (number > most) throw new UsageError(`--${flag}: at most ${most}, got ${number}`);
    return number;
  };
}

/** Flags for where inputs come from and how they are checked; shared by every command that reads IDX files. */
export function sourceOptions<T>(y: Argv<T>) {
  return y
    .option('cache-dir', {
      type: 'string',
      group: GROUP,
      describe: 'folder for downloaded files (default: $RXNN_CACHE_DIR, else $XDG_CACHE_HOME/rxnn, else ~/.cache/rxnn)',
      coerce: parsePath('cache-dir'),
    })
    .option('offline', { type: 'boolean', group: GROUP, default: false, describe: 'never use the network: URLs must already be in the cache' })
    .option('sha256', {
      type: 'string',
      group: GROUP,
      describe: 'FILE=HEX: refuse FILE (path, URL or base name) unless its SHA-256 is HEX; repeatable. A FILE.sha256 beside the data is checked too',
      default: [] as string[],
      defaultDescription: 'none',
      coerce: parseRepeated('sha256', parseChecksumEntry),
    })
    .option('timeout', {
      group: GROUP,
      default: 30,
      describe: `seconds without data before a download fails (at most ${MAX_TIMEOUT_SECONDS}, about 24 days)`,
      coerce: parseAtMost('timeout', parsePositiveNumber('timeout'), MAX_TIMEOUT_SECONDS),
    })
    .option('retries', {
      group: GROUP,
      default: 0,
      describe: `retries after transient download faults (5xx, timeouts, dropped connections), waiting 1 s, 2 s, 4 s... (at most ${MAX_RETRIES})`,
      coerce: parseAtMost('retries', parseNonNegativeInteger('retries'), MAX_RETRIES),
    });
}

function parseNonNegativeInteger(flag: string): (value: unknown) => number {
  const asInteger = parseInteger(flag);
  return (value) => {
    const number = asInteger(value);
    if (number < 0) throw new UsageError(`--${flag}: expected 0 or more, got "${String(value)}"`);
    return number;
  };
}

/** The library's source options from the flags; also checks that every --sha256 names one of `inputs`. */
export function sourceOptionsFrom(
  args: SourceArgs,
  inputs: readonly string[],
  onDownload: (event: DownloadEvent) => void,
): SourceOptions {
  for (const given of inputs) parseLocation(given); // a bad URL is refused before any message could show it (and its password)
  for (const entry of args.sha256) {
    const matched = inputs.some((given) => findChecksum([entry], given, locationBaseName(parseLocation(given))) !== undefined);
    if (!matched) throw new UsageError(`--sha256 ${entry.file}=...: names none of the inputs (${inputs.join(', ')})`);
  }
  return {
    cacheDir: args.cacheDir ?? defaultCacheDir(process.env),
    offline: args.offline,
    timeoutSeconds: args.timeout,
    retries: args.retries,
    checksums: args.sha256,
    onDownload,
  };
}
