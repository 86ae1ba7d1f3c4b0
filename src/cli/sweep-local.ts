import type { ChildProcess } from 'node:child_process';
import { InputError, Stopped } from '../core/errors.js';
import { FINISHED_STATUSES, trialFolder, trialStatus } from '../sweep/sweep-folder.js';
import { trialFlags, type Trial } from '../sweep/sweep-trials.js';
import { stopOnSignals } from './stop-signals.js';
import { forwardStops, runPool, runRxnnProcess } from './sweep-runner.js';
import { describeInputError } from './usage-error.js';

export interface LocalSweepOptions {
  readonly parallel: number;
  /** No progress lines on stderr. */
  readonly quiet: boolean;
}

/** A trial that did not finish: the exit status it ended with (2: bad input) and its message. */
export interface TrialFailure {
  readonly trial: Trial;
  readonly status: number | null;
  readonly message: string;
}

/** The `rxnn train` arguments of a trial: a new run in its folder, or the resumption of the run there. */
export function trainArgs(trial: Trial, folder: string, status: string): string[] {
  return status === 'new' ? ['train', ...trialFlags(trial.settings), '--out', folder] : ['train', '--resume', folder];
}

/**
 * Every unfinished trial as an `rxnn train` process, `--parallel` at a time;
 * a stop signal is passed on to them, and then ends the sweep (Stopped).
 * Returns the trials that failed; the others ran.
 */
export async function runLocalSweep(trials: readonly Trial[], dir: string, options: LocalSweepOptions): Promise<TrialFailure[]> {
  const stop = stopOnSignals(process.stderr, 'stopping the running trials (each saves a checkpoint; run the sweep again to resume them)');
  const children = new Set<ChildProcess>();
  forwardStops(stop, children);
  const say = (text: string): void => {
    if (!options.quiet) process.stderr.write(`rxnn sweep: ${text}\n`);
  };
  const failures: TrialFailure[] = [];
  const of = `/${trials.length}`;
  const shown = varyingFlags(trials);
  const runLocalTrial = async (trial: Trial): Promise<void> => {
    const index = trial.index;
    const folder = trialFolder(dir, index, trials.length);
    const status = await trialStatus(folder);
    if (FINISHED_STATUSES.includes(status as never)) return say(`trial ${index}${of} already finished (${status})`);
    say(`trial ${index}${of} ${status === 'new' ? 'started' : `resumed (was ${status})`}: ${shown(trial)}`);
    const started = performance.now();
    const result = await runRxnnProcess([...trainArgs(trial, folder, status), '--quiet'], children);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // The run's record, not the exit status, says how it ended: a stop signal may come after the last epoch.
    const ended = await trialStatus(folder);
    if (FINISHED_STATUSES.includes(ended as never)) return say(`trial ${index}${of} ${ended} in ${seconds} s`);
    if (stop.signal.aborted) return say(`trial ${index}${of} stopped (${ended}); run the sweep again to resume it`);
    failures.push({ trial, status: result.status, message: result.lastError.replace(/^rxnn: /, '') });
    say(`trial ${index}${of} failed (exit status ${result.status ?? result.signal}): ${result.lastError}`);
  };
  try {
    await runPool(trials.length, options.parallel, () => stop.signal.aborted, async (index) => {
      const trial = trials[index]!;
      try {
        await runLocalTrial(trial);
      } catch (error) {
        // A trial folder that cannot be read (a forged run.json): the other trials still run.
        const message = error instanceof InputError ? describeInputError(error) : error instanceof Error ? error.message : String(error);
        failures.push({ trial, status: error instanceof InputError ? 2 : 1, message });
        say(`trial ${index}${of} failed: ${message}`);
      }
    });
  } finally {
    stop.dispose();
  }
  if (stop.signal.aborted) throw new Stopped(stop.signal.reason, `sweep stopped by ${String(stop.signal.reason)}; run the same command again to resume it`);
  return failures;
}

/** A trial's flags as progress shows them: only the settings that differ between trials. */
function varyingFlags(trials: readonly Trial[]): (trial: Trial) => string {
  const keys = new Set(trials.flatMap((t) => Object.keys(t.settings)));
  const varying = [...keys].filter((key) => new Set(trials.map((t) => JSON.stringify(t.settings[key]))).size > 1);
  return (trial) => trialFlags(Object.fromEntries(varying.filter((key) => key in trial.settings).map((key) => [key, trial.settings[key]!]))).join(' ');
}
