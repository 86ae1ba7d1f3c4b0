import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import { checkSeed } from '../core/checks.js';
import { SettingError } from '../core/errors.js';
import type { LabelArray } from './dataset.js';

/** Which samples of a training set are held out for validation. */
export interface ValidationSplit {
  /** held[i] is 1 when sample i is held out (validation), 0 when it is trained on. */
  readonly held: Uint8Array;
  readonly validationCount: number;
  readonly trainCount: number;
}

/**
 * The number of samples `size` asks for out of `count`: a whole number N
 * (at least 1), or a fraction in (0, 1) of the set, rounded to the nearest
 * sample. Throws a SettingError naming `validation` unless at least one
 * sample is held out and at least one is left to train on.
 */
export function validationCount(size: number, count: number): number {
  const held = size > 0 && size < 1 ? Math.round(size * count) : size;
  if (!(Number.isSafeInteger(held) && held >= 1)) {
    throw new SettingError('validation', `expected a whole number of samples (1 or more) or a fraction in (0, 1), got ${size}`);
  }
  if (held >= count) throw new SettingError('validation', `holds out ${held} of the ${count} training samples, leaving none to train on`);
  return held;
}

/**
 * A seeded, stratified choice of `size` samples (see validationCount) to
 * hold out of a set with these labels: each class gives its share of the
 * held-out samples (the rounding remainders going to the classes with the
 * largest fractional parts, then the lower class), drawn by a partial
 * Fisher-Yates shuffle of its samples. Same labels, size and seed: the same
 * split, whatever else the run does (it has its own random stream).
 */
export function splitValidation(labels: LabelArray, size: number, seed: number): ValidationSplit {
  checkSeed('seed', seed);
  const count = labels.length;
  const wanted = validationCount(size, count);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    const members = byClass.get(label);
    if (members === undefined) byClass.set(label, [i]);
    else members.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (wanted * byClass.get(c)!.length) / count);
  const shares = exact.map(Math.floor);
  let left = wanted - shares.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b]! - shares[b]! - (exact[a]! - shares[a]!) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    shares[k]!++;
    left--;
  }
  const random = Random.derive(seed, RandomStream.validationSplit);
  const held = new Uint8Array(count);
  classes.forEach((c, k) => {
    const members = byClass.get(c)!;
    for (let i = 0; i < shares[k]!; i++) {
      const j = i + random.int(members.length - i);
      const pick = members[j]!;
      members[j] = members[i]!;
      members[i] = pick;
      held[pick] = 1;
    }
  });
  return { held, validationCount: wanted, trainCount: count - wanted };
}

/** "N" (a whole number of samples) or "FRACTION" (in (0, 1)) of the training set to hold out. */
export function parseValidationSize(text: string): number {
  const size = text.trim() === '' ? NaN : Number(text);
  if (!((Number.isSafeInteger(size) && size >= 1) || (size > 0 && size < 1))) {
    throw new SettingError('validation', `expected N (a whole number of samples, 1 or more) or a FRACTION in (0, 1), got "${text}"`);
  }
  return size;
}
