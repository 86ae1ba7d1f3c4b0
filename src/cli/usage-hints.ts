import { distance } from 'fastest-levenshtein';

/** Words people type for a flag that rxnn spells otherwise. */
const COMMON_ALIASES: Readonly<Record<string, string>> = {
  'learning-rate': 'lr',
  learningrate: 'lr',
  rate: 'lr',
  epoch: 'epochs',
  optimiser: 'optimizer',
  optim: 'optimizer',
  batchsize: 'batch-size',
  batch: 'batch-size',
  hiden: 'hidden',
  layers: 'hidden',
  output: 'out',
  'out-dir': 'out',
  outdir: 'out',
  continue: 'resume',
};

/** What yargs' usage object (the third argument of `.fail`) tells about the command that failed. */
export interface FailedCommandUsage {
  /** Option name -> description, for the command being parsed (with the global ones). */
  getDescriptions(): Record<string, unknown>;
  /** [[ '$0 eval <checkpoint>', description ], …]: the command's own usage line. */
  getUsage(): readonly (readonly [string, ...unknown[]])[];
}

/** yargs passes its usage object to `.fail` (typed there as the parser); anything else is ignored. */
export function asFailedCommandUsage(value: unknown): FailedCommandUsage | undefined {
  const v = value as Partial<FailedCommandUsage> | undefined;
  return typeof v?.getDescriptions === 'function' && typeof v.getUsage === 'function' ? (v as FailedCommandUsage) : undefined;
}

/**
 * A yargs parse error rewritten for people: unknown flags named as typed,
 * with the nearest real flag; a missing positional named as the help shows
 * it (`rxnn eval: missing CHECKPOINT`). Other messages pass unchanged.
 */
export function explainUsageError(message: string, args: readonly string[], usage: FailedCommandUsage | undefined): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown !== null) return unknownArguments(unknown[1]!.split(', '), args, usage === undefined ? [] : Object.keys(usage.getDescriptions()));
  const missing = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  const line = usage?.getUsage()[0]?.[0];
  if (missing !== null && line !== undefined) {
    const command = /^\$0 (\S+)/.exec(line)?.[1] ?? '';
    const positionals = [...line.matchAll(/<([^>]+)>/g)].map((m) => m[1]!.replace(/\.\.$/, '').toUpperCase());
    const names = positionals.slice(Number(missing[1]));
    if (names.length > 0) return `rxnn ${command}: missing ${names.join(' and ')} (see rxnn ${command} --help)`;
  }
  return message;
}

function unknownArguments(names: readonly string[], args: readonly string[], known: readonly string[]): string {
  // yargs lists a camelCase copy of every dashed unknown flag; people typed the dashed one.
  const typed = names.filter((name) => !/[A-Z]/.test(name) || !names.includes(kebab(name)));
  const given = args.filter((a) => a.startsWith('-') && a !== '-').map((a) => a.replace(/=.*$/s, ''));
  const parts = typed.map((name) => {
    // As typed: yargs reports --no-x as x.
    const flag = given.find((g) => g.replace(/^-+/, '') === name) ?? given.find((g) => g.replace(/^-+no-/, '') === name);
    if (flag === undefined) return `unexpected argument "${name}"`;
    const suggestion = nearestFlag(name, known);
    return suggestion === undefined ? `unknown flag ${flag}` : `unknown flag ${flag} (did you mean --${suggestion}?)`;
  });
  return parts.join('; ');
}

/** The real flag closest to `name`: a known alias, else within a third of its letters (at least 2) by edit distance. */
export function nearestFlag(name: string, known: readonly string[]): string | undefined {
  const candidates = known.filter((k) => k !== 'help' && k !== 'version' && !/[A-Z]/.test(k));
  const lower = name.toLowerCase();
  const alias = COMMON_ALIASES[lower] ?? COMMON_ALIASES[kebab(name)];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(lower.length / 3)) + 1;
  for (const k of candidates) {
    const d = Math.min(distance(lower, k), distance(lower.replaceAll('_', '-'), k), distance(lower.replaceAll('-', ''), k.replaceAll('-', '')));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
