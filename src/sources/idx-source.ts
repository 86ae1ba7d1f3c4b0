import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { joinBytes } from '../core/bytes.js';
import { InputError } from '../core/errors.js';
import { errorCode, fileError, namingFile } from '../core/file-errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { checkDigest, findChecksum, hashing, parseChecksumFile, sha256, type ChecksumEntry, type ExpectedDigest } from './checksum.js';
import { cachedPath, digestPath, partialPath, removeStalePartials } from './download-cache.js';
import { openFileChunks } from './file-chunks.js';
import type { Compression } from './gzip.js';
import { DownloadError, openUrl, type HttpOptions } from './http-body.js';
import type { IdxConsumerFactory } from './idx-chunks.js';
import { readIdxInput } from './idx-input.js';
import type { IdxHeader } from './idx-format.js';
import { locationBaseName, parseLocation, type Location } from './location.js';
import { withRetries } from './retry.js';

/** How inputs are found, fetched and verified. */
export interface SourceOptions {
  /** Where downloads are kept (see defaultCacheDir); needed only for URLs. */
  readonly cacheDir?: string | undefined;
  /** Never touch the network: a URL must already be in the cache. */
  readonly offline?: boolean;
  /** Seconds without data before a download gives up; default 30. */
  readonly timeoutSeconds?: number;
  /** Retries after transient download faults; default 0. */
  readonly retries?: number;
  /** First backoff wait; doubles at each retry. Default 1000. */
  readonly retryDelayMs?: number;
  /** Expected digests (--sha256 FILE=HEX). */
  readonly checksums?: readonly ChecksumEntry[];
  readonly onDownload?: (event: DownloadEvent) => void;
  /** Stops a download (failing with Stopped, its partial file removed) when aborted. */
  readonly signal?: AbortSignal | undefined;
}

export type DownloadEvent =
  | { readonly kind: 'start'; readonly name: string; readonly total: number | undefined }
  | { readonly kind: 'progress'; readonly name: string; readonly received: number; readonly total: number | undefined }
  | { readonly kind: 'retry'; readonly name: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'done'; readonly name: string; readonly path: string; readonly bytes: number };

/** What reading an IDX input established about it. */
export interface IdxSourceFacts {
  /** The path or URL as given. */
  readonly name: string;
  /** The local file holding the data: the path itself, or the cache file of a URL. */
  readonly path: string;
  readonly compression: Compression;
  /** Size of the file as stored (compressed, if it is). */
  readonly bytes: number;
  readonly sha256: string;
  readonly header: IdxHeader;
  /** Whether `path` can be read again from its start (a file; not a pipe). */
  readonly rereadable: boolean;
  /** For URLs: whether this read downloaded the file or found it in the cache. */
  readonly fetched?: 'downloaded' | 'cached';
}

export interface IdxSourceRead<R> {
  readonly facts: IdxSourceFacts;
  readonly result: R;
}

/**
 * Reads one IDX input, local or http(s), plain or gzip, parsing it as it
 * arrives. `consume` decides what to keep once the header is known. A URL
 * is served from the cache when there; otherwise downloaded into it (a
 * temporary file renamed only once the whole file has parsed and its
 * digest matched). Every problem with the input is an InputError.
 */
export async function readIdxSource<R>(
  given: string,
  options: SourceOptions,
  consume: IdxConsumerFactory<R>,
): Promise<IdxSourceRead<R>> {
  const location = parseLocation(given);
  const flagged = findChecksum(options.checksums ?? [], given, locationBaseName(location));
  const fromFlag: ExpectedDigest | undefined = flagged && { sha256: flagged.sha256, from: '--sha256' };
  if (location.kind === 'file') {
    const expected = fromFlag ?? (await localSidecar(location.path, locationBaseName(location)));
    return readLocal(location.path, given, consume, expected);
  }
  return readUrl(location, given, options, consume, fromFlag);
}

async function readLocal<R>(
  path: string,
  name: string,
  consume: IdxConsumerFactory<R>,
  expected: ExpectedDigest | undefined,
): Promise<IdxSourceRead<R>> {
  const file = await openFileChunks(path, name);
  const seen = seeHeader(consume);
  const hash = sha256();
  const count = { bytes: 0 };
  const { compression, read } = await readIdxInput(hashing(file.chunks, hash, count), name, seen.consume, { size: file.size, rereadable: file.rereadable });
  if (read === undefined) throw new InputError(`${name}: reading stopped before the end`);
  const { result } = read;
  const digest = hash.digest('hex');
  checkDigest(name, digest, expected);
  return { facts: { name, path, compression, bytes: count.bytes, sha256: digest, header: seen.header(), rereadable: file.rereadable }, result };
}

async function readUrl<R>(
  location: Extract<Location, { kind: 'url' }>,
  name: string,
  options: SourceOptions,
  consume: IdxConsumerFactory<R>,
  fromFlag: ExpectedDigest | undefined,
): Promise<IdxSourceRead<R>> {
  const cacheDir = options.cacheDir;
  if (cacheDir === undefined || cacheDir === '') {
    throw new InputError(`${name}: no folder to keep downloads in (there is no home folder): set RXNN_CACHE_DIR or give --cache-dir`);
  }
  const path = cachedPath(cacheDir, location.url, locationBaseName(location));
  if (await exists(path)) {
    try {
      // A cached file counts only with the digest recorded when its download was verified (or one given for it).
      const expected = fromFlag ?? (await readDigestFile(digestPath(path), locationBaseName(location)));
      if (expected === undefined) throw new InputError(`${name}: the cached copy has no recorded digest, so it cannot be trusted`);
      const read = await readLocal(path, name, consume, expected);
      return { ...read, facts: { ...read.facts, fetched: 'cached' } };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if (options.offline === true) {
        throw new InputError(`${error.message} (cached copy ${path}; run without --offline to download it again)`);
      }
      await Promise.all([unlink(path).catch(() => undefined), unlink(digestPath(path)).catch(() => undefined)]);
    }
  }
  if (options.offline === true) {
    throw new InputError(`${name}: not in the cache (${cacheDir}) and offline: nothing is downloaded`);
  }
  const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
  const onRetry = (error: DownloadError, attempt: number, delayMs: number): void =>
    options.onDownload?.({ kind: 'retry', name, attempt, delayMs, reason: error.message });
  const retry = { retries: options.retries ?? 0, delayMs: options.retryDelayMs ?? 1000, onRetry, signal: options.signal };
  const http = { timeoutMs, signal: options.signal };
  await namingFile(cacheDir, 'create the download cache folder', mkdir(cacheDir, { recursive: true }));
  await removeStalePartials(cacheDir);
  const sidecar = fromFlag ?? (await withRetries(() => remoteSidecar(location, name, http), retry));
  const read = await withRetries(() => download(location.url, name, path, http, consume, sidecar, options), retry);
  return { ...read, facts: { ...read.facts, fetched: 'downloaded' } };
}

async function download<R>(
  url: URL,
  name: string,
  path: string,
  http: HttpOptions,
  consume: IdxConsumerFactory<R>,
  expected: ExpectedDigest | undefined,
  options: SourceOptions,
): Promise<IdxSourceRead<R>> {
  const body = (await openUrl(url, name, http))!;
  const total = body.length;
  options.onDownload?.({ kind: 'start', name, total });
  const partial = partialPath(path);
  const seen = seeHeader(consume);
  const file = await namingFile(partial, 'write', open(partial, 'wx'));
  try {
    const hash = sha256();
    const count = { bytes: 0 };
    async function* saved(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        await file.write(chunk);
        options.onDownload?.({ kind: 'progress', name, received: count.bytes, total });
        yield chunk;
      }
    }
    const { compression, read } = await readIdxInput(saved(hashing(body.chunks, hash, count)), name, seen.consume, { size: total });
    if (read === undefined) throw new InputError(`${name}: download stopped before the end`);
    const { result } = read;
    const digest = hash.digest('hex');
    checkDigest(name, digest, expected);
    await file.sync();
    await file.close();
    await rename(partial, path);
    await writeFileAtomic(digestPath(path), new TextEncoder().encode(`${digest}  ${locationBaseName({ kind: 'url', url })}\n`));
    options.onDownload?.({ kind: 'done', name, path, bytes: count.bytes });
    return { facts: { name, path, compression, bytes: count.bytes, sha256: digest, header: seen.header(), rereadable: true }, result };
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(partial).catch(() => undefined);
    throw fileError(partial, 'write', error);
  }
}

async function localSidecar(path: string, baseName: string): Promise<ExpectedDigest | undefined> {
  const sidecar = digestPath(path);
  const digest = await readDigestFile(sidecar, baseName);
  return digest && { sha256: digest.sha256, from: sidecar };
}

/** Checksum files looked for beside inputs that may simply not be there: no such file, or a name too long to have one. */
const NO_SIDECAR = new Set(['ENOENT', 'ENAMETOOLONG', 'ENOTDIR']);

async function readDigestFile(path: string, baseName: string): Promise<ExpectedDigest | undefined> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if (NO_SIDECAR.has(errorCode(error) ?? '')) return undefined;
    throw fileError(path, 'read the checksum file', error);
  });
  return text === undefined ? undefined : { sha256: parseChecksumFile(text, baseName, path), from: path };
}

/** URL.sha256 beside the data, if the server has one. Failures name the data's URL, with the checksum file's. */
async function remoteSidecar(location: Extract<Location, { kind: 'url' }>, name: string, http: HttpOptions): Promise<ExpectedDigest | undefined> {
  const url = new URL(location.url.href);
  url.pathname += '.sha256';
  const body = await openUrl(url, `${name} (checksum file ${url.href})`, { ...http, allowMissing: true });
  if (body === undefined) return undefined;
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body.chunks) {
    size += chunk.length;
    if (size > 1 << 20) throw new DownloadError(`${url.href}: a checksum file larger than 1 MB`, false);
    pieces.push(chunk);
  }
  const text = new TextDecoder().decode(joinBytes(pieces));
  return { sha256: parseChecksumFile(text, locationBaseName(location), url.href), from: url.href };
}

async function exists(path: string): Promise<boolean> {
  return open(path, 'r').then(
    async (file) => {
      await file.close();
      return true;
    },
    () => false,
  );
}

/** Wraps `consume` to remember the header it was given. */
function seeHeader<R>(consume: IdxConsumerFactory<R>) {
  let seen: IdxHeader | undefined;
  return {
    consume: ((header, context) => {
      seen = header;
      return consume(header, context);
    }) satisfies IdxConsumerFactory<R>,
    header: (): IdxHeader => seen!,
  };
}
