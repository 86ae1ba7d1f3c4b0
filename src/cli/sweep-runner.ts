import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SignalStop, StopSignal } from './stop-signals.js';

/** The bin of this installation: trials run the same rxnn as the sweep. */
const RXNN_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export interface TrialProcess {
  /** Exit status, or the signal that ended the process. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last line the trial wrote on stderr (its error, if it failed). */
  readonly lastError: string;
}

/**
 * Runs `rxnn <args>` as a child process with the sweep's Node flags. The
 * child has its own process group, so a Ctrl-C reaches it once, forwarded
 * by the sweep (see forwardStops), and it saves a checkpoint before it stops.
 */
export function runRxnnProcess(args: readonly string[], children: Set<ChildProcess>): Promise<TrialProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, RXNN_MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
    child.on('error', (error) => {
      children.delete(child);
      reject(error);
    });
    child.on('close', (status, signal) => {
      children.delete(child);
      resolve({ status, signal, lastError: stderr.trim().split('\n').at(-1) ?? '' });
    });
  });
}

/**
 * Passes the sweep's first SIGINT or SIGTERM on to the running trials (they
 * finish their step and save); a second one is passed on too, before the
 * sweep exits at once.
 */
export function forwardStops(stop: SignalStop, children: ReadonlySet<ChildProcess>): void {
  const forward = (signal: StopSignal): void => {
    for (const child of children) child.kill(signal);
  };
  stop.signal.addEventListener('abort', () => forward(stop.signal.reason as StopSignal), { once: true });
  stop.onForcedExit(() => forward(stop.signal.reason as StopSignal));
}

/** Runs `work` on 0..count-1, at most `parallel` at a time, in order; none starts once `stopped()` is true. */
export async function runPool(count: number, parallel: number, stopped: () => boolean, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !stopped()) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}
