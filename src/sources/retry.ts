import { setTimeout as sleep } from 'node:timers/promises';
import { Stopped } from '../core/errors.js';
import { DownloadError } from './http-body.js';

export interface RetryOptions {
  /** Attempts after the first. */
  readonly retries: number;
  /** The wait before retry k (0-based) is delayMs * 2^k. */
  readonly delayMs: number;
  readonly onRetry?: (error: DownloadError, attempt: number, delayMs: number) => void;
  /** Ends a wait between attempts (with Stopped) when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** Runs `attempt` again, with exponential backoff, after transient download errors only. */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof DownloadError && error.transient) || failures >= options.retries) throw error;
      const delay = options.delayMs * 2 ** failures;
      options.onRetry?.(error, failures + 1, delay);
      await sleep(delay, undefined, { signal: options.signal }).catch(() => {
        throw new Stopped(options.signal?.reason, `${error.message}; stopped by ${String(options.signal?.reason)} before retrying`);
      });
    }
  }
}
