/** Exit statuses of a run stopped by a signal: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

export interface SignalStop {
  /** Aborted by the first SIGINT or SIGTERM, with the signal's name as reason. */
  readonly signal: AbortSignal;
  /** Work to do synchronously before a second signal ends the process (record the stop, remove temporary files). */
  onForcedExit(cleanup: () => void): void;
  /** What the first signal will be said to do, e.g. "finishing the current step and saving a checkpoint". */
  describe(doing: string): void;
  dispose(): void;
}

/**
 * Turns the first SIGINT or SIGTERM into an aborted AbortSignal (reason: the
 * signal's name), so the command can finish its step, or stop its download,
 * and save; a second one exits at once, after the forced-exit cleanup
 * (files are only ever replaced whole, so nothing is corrupted).
 */
export function stopOnSignals(stderr: NodeJS.WritableStream, doing = 'stopping'): SignalStop {
  const controller = new AbortController();
  let said = doing;
  let cleanup = (): void => undefined;
  const handler = (name: StopSignal): void => {
    if (controller.signal.aborted) {
      stderr.write(`rxnn: ${name} again: stopping now\n`);
      try {
        cleanup();
      } finally {
        process.exit(SIGNAL_EXIT[name]);
      }
    }
    stderr.write(`\nrxnn: ${name}: ${said} (send it again to stop at once)\n`);
    controller.abort(name);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    onForcedExit: (work) => {
      cleanup = work;
    },
    describe: (text) => {
      said = text;
    },
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Runs `work` with a signal that the first SIGINT or SIGTERM aborts (downloads stop; a second signal exits at once). */
export async function stoppable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = stopOnSignals(process.stderr);
  try {
    return await work(stop.signal);
  } finally {
    stop.dispose();
  }
}
