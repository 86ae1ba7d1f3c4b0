import { formatFromName } from '../report/picture-file.js';
import { UsageError } from './usage-error.js';

/** Parsers for flag values; each error names the flag and quotes what was given. */
function single(flag: string, value: unknown): string {
  if (Array.isArray(value)) throw new UsageError(`--${flag}: given ${value.length} times; give it once`);
  return String(value);
}

export function parseNumber(flag: string): (value: unknown) => number {
  return (value) => {
    const text = single(flag, value).trim();
    const number = Number(text);
    if (text === '' || !Number.isFinite(number)) throw new UsageError(`--${flag}: expected a number, got "${text}"`);
    return number;
  };
}

export function parseInteger(flag: string): (value: unknown) => number {
  const asNumber = parseNumber(flag);
  return (value) => {
    const number = asNumber(value);
    if (!Number.isSafeInteger(number)) throw new UsageError(`--${flag}: expected an integer, got "${String(value)}"`);
    return number;
  };
}

/** "50" -> [50]; "128,64" -> [128, 64]; "" -> [] (no hidden layer). */
export function parseWidths(flag: string): (value: unknown) => number[] {
  return (value) => {
    const text = single(flag, value).trim();
    if (text === '') return [];
    const parts = text.split(',').map((part) => part.trim());
    if (!parts.every((part) => /^\d+$/.test(part) && Number(part) > 0)) {
      throw new UsageError(`--${flag}: expected a comma-separated list of positive integers (e.g. 50 or 128,64), got "${text}"`);
    }
    return parts.map(Number);
  };
}

export function parsePath(flag: string): (value: unknown) => string {
  return (value) => {
    const text = single(flag, value);
    if (text.trim() === '') throw new UsageError(`--${flag}: expected a path, got an empty string`);
    return text;
  };
}

export function parsePositiveNumber(flag: string): (value: unknown) => number {
  const asNumber = parseNumber(flag);
  return (value) => {
    const number = asNumber(value);
    if (!(number > 0)) throw new UsageError(`--${flag}: expected a positive number, got "${String(value)}"`);
    return number;
  };
}

export function parseNonNegativeNumber(flag: string): (value: unknown) => number {
  const asNumber = parseNumber(flag);
  return (value) => {
    const number = asNumber(value);
    if (!(number >= 0)) throw new UsageError(`--${flag}: expected 0 or a positive number, got "${String(value)}"`);
    return number;
  };
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "1073741824", "512M", "1G", "1.5GiB": suffixes K, M, G, T are powers of 1024 (with or without "iB"/"B"). */
export function parseBytes(flag: string): (value: unknown) => number {
  return (value) => {
    const text = single(flag, value).trim();
    const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text);
    const bytes = match === null ? NaN : Math.floor(Number(match[1]) * BYTE_UNITS[match[2]!.toLowerCase()]!);
    if (!(bytes > 0)) throw new UsageError(`--${flag}: expected a size such as 512M or 2G, got "${text}"`);
    return bytes;
  };
}

/** A flag that may be given several times: its values, each checked by `parse`. */
export function parseRepeated<T>(flag: string, parse: (text: string) => T): (value: unknown) => T[] {
  return (value) => {
    const texts = (Array.isArray(value) ? value : [value]).map(String);
    return texts.map((text) => {
      try {
        return parse(text);
      } catch (error) {
        throw new UsageError(`--${flag}: ${(error as Error).message}`);
      }
    });
  };
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(flag: string, choices: readonly T[]): (value: unknown) => T {
  return (value) => {
    const text = single(flag, value);
    if (!(choices as readonly string[]).includes(text)) {
      throw new UsageError(`--${flag}: expected ${choices.join(', ')}, got "${text}"`);
    }
    return text as T;
  };
}

/** A value read by a library parser; its message becomes the flag's. */
export function parseWith<T>(flag: string, parse: (text: string) => T): (value: unknown) => T {
  return (value) => {
    const text = single(flag, value);
    try {
      return parse(text);
    } catch (error) {
      const problem = error instanceof Error && 'problem' in error ? String(error.problem) : (error as Error).message;
      throw new UsageError(`--${flag}: ${problem}`);
    }
  };
}

export function parsePositiveInteger(flag: string): (value: unknown) => number {
  const asInteger = parseInteger(flag);
  return (value) => {
    const number = asInteger(value);
    if (number < 1) throw new UsageError(`--${flag}: expected a positive integer, got "${String(value)}"`);
    return number;
  };
}

/** "A:B", two numbers with A below B (e.g. 0.9:1). */
export function parseRange(flag: string): (value: unknown) => [number, number] {
  return (value) => {
    const text = single(flag, value).trim();
    const parts = text.split(':');
    const [from, to] = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
    if (parts.length !== 2 || !(Number.isFinite(from) && Number.isFinite(to) && from! < to!)) {
      throw new UsageError(`--${flag}: expected A:B, two numbers with A below B (e.g. 0.9:1), got "${text}"`);
    }
    return [from!, to!];
  };
}

/** A picture file to write: a path ending in .png or .svg. */
export function parsePictureFile(flag: string): (value: unknown) => string {
  const asPath = parsePath(flag);
  return (value) => {
    const path = asPath(value);
    if (formatFromName(path) === undefined) throw new UsageError(`--${flag}: expected a file name ending in .png or .svg, got "${path}"`);
    return path;
  };
}
