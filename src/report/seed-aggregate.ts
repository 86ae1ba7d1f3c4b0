import type { RunSummary } from './run-summaries.js';

/** A metric over the runs of one setting: mean, sample standard deviation (undefined for one run), and how many runs had it. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number | undefined;
  readonly n: number;
}

/** The runs that differ only in their seed. */
export interface SeedGroup {
  /** Every setting but the seed, as text (as RunSummary keeps them). */
  readonly settings: Readonly<Record<string, string>>;
  readonly runs: readonly string[];
  readonly seeds: readonly string[];
  readonly trainAcc: MeanStd | undefined;
  /** Undefined when the runs have no validation set. */
  readonly valAcc: MeanStd | undefined;
  readonly testAcc: MeanStd | undefined;
  readonly bestValAcc: MeanStd | undefined;
  readonly bestTestAcc: MeanStd | undefined;
}

/**
 * Groups runs by all their settings but `seed` and gives each group's
 * mean ± std of the final and best accuracies (validation too, when the runs have it), groups in the order of
 * their first run, each group's runs in the order of their names. Runs without run.json (no settings) are left out.
 */
export function aggregateOverSeeds(summaries: readonly RunSummary[]): SeedGroup[] {
  const groups = new Map<string, RunSummary[]>();
  for (const summary of summaries) {
    if (Object.keys(summary.settings).length === 0) continue;
    const { seed: _seed, ...rest } = summary.settings;
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    groups.set(key, [...(groups.get(key) ?? []), summary]);
  }
  return [...groups.values()].map((unordered) => {
    const runs = [...unordered].sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
    const { seed: _seed, ...settings } = runs[0]!.settings;
    return {
      settings,
      runs: runs.map((r) => r.run),
      seeds: runs.map((r) => r.settings['seed'] ?? ''),
      trainAcc: meanStd(runs.map((r) => r.trainAcc)),
      valAcc: meanStd(runs.map((r) => r.valAcc)),
      testAcc: meanStd(runs.map((r) => r.testAcc)),
      bestValAcc: meanStd(runs.map((r) => r.bestValAcc)),
      bestTestAcc: meanStd(runs.map((r) => r.bestTestAcc)),
    };
  });
}

/** Whether any setting was run with more than one seed: then a per-setting table says more than the runs alone. */
export function hasSeedRepeats(groups: readonly SeedGroup[]): boolean {
  return groups.some((group) => group.runs.length > 1);
}

export function meanStd(values: readonly (number | undefined)[]): MeanStd | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return undefined;
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const std = known.length < 2 ? undefined : Math.sqrt(known.reduce((a, b) => a + (b - mean) ** 2, 0) / (known.length - 1));
  return { mean, std, n: known.length };
}
