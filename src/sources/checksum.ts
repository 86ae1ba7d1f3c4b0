import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../core/errors.js';

/** An expected SHA-256 digest for the input given as `file` (the path or URL as typed, or its base name). */
export interface ChecksumEntry {
  readonly file: string;
  readonly sha256: string;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/i;

/** "FILE=HEX" as typed after --sha256. */
export function parseChecksumEntry(text: string): ChecksumEntry {
  const at = text.lastIndexOf('=');
  const file = text.slice(0, at);
  const sha256 = text.slice(at + 1).trim();
  if (at <= 0 || file.trim() === '') throw new InputError(`expected FILE=HEX, got "${text}"`);
  if (!HEX_DIGEST.test(sha256)) throw new InputError(`"${sha256}" is not a SHA-256 digest (64 hex digits)`);
  return { file, sha256: sha256.toLowerCase() };
}

/** The entry for an input, matched by the text as given or by its base name. */
export function findChecksum(entries: readonly ChecksumEntry[], given: string, baseName: string): ChecksumEntry | undefined {
  return entries.find((e) => e.file === given) ?? entries.find((e) => e.file === baseName);
}

/**
 * The digest a checksum file gives for `baseName`. Accepts `sha256sum`
 * output ("HEX  name" or "HEX *name", one or many lines) and a bare digest.
 */
export function parseChecksumFile(text: string, baseName: string, name: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const parsed = lines.map((line) => {
    const [digest = '', file] = line.split(/\s+\*?/, 2);
    return { digest, file };
  });
  const entry = parsed.length === 1 ? parsed[0] : parsed.find((p) => p.file === baseName);
  if (entry === undefined) throw new InputError(`${name}: no line for ${baseName}`);
  if (!HEX_DIGEST.test(entry.digest)) throw new InputError(`${name}: "${entry.digest}" is not a SHA-256 digest (64 hex digits)`);
  return entry.digest.toLowerCase();
}

/** Passes chunks through, feeding them to `hash` and counting them in `count.bytes`. */
export async function* hashing(
  chunks: AsyncIterable<Uint8Array>,
  hash: Hash,
  count: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    count.bytes += chunk.length;
    yield chunk;
  }
}

export function sha256(): Hash {
  return createHash('sha256');
}

/** Where an expected digest came from, for the error message. */
export interface ExpectedDigest {
  readonly sha256: string;
  readonly from: string;
}

export function checkDigest(name: string, actual: string, expected: ExpectedDigest | undefined): void {
  if (expected === undefined || expected.sha256 === actual) return;
  throw new InputError(`${name}: SHA-256 is ${actual}, expected ${expected.sha256} (from ${expected.from}); refusing the data`);
}
