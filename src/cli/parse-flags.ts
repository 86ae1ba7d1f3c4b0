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
