/** Exit statuses of a run stopped by a signal: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

/**
 * Turns the first SIGINT or SIGTERM into an aborted AbortSignal (reason: the
 * signal's name), so the run can finish its step and save; a second one
 * exits at once (files are only ever replaced whole, so nothing is corrupted).
 */
export function stopOnSignals(stderr: NodeJS.WritableStream): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (name: StopSignal): void => {
    if (controller.signal.aborted) {
      stderr.write(`rxnn: ${name} again: stopping now\n`);
      process.exit(SIGNAL_EXIT[name]);
    }
    stderr.write(`\nrxnn: ${name}: finishing the current step and saving a checkpoint (send it again to stop at once)\n`);
    controller.abort(name);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
