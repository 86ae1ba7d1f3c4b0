import type { Response } from 'node-fetch';
import { InputError, Stopped, throwIfStopped } from '../core/errors.js';
import { bytesOf } from '../core/bytes.js';

/** A download failure. Transient ones (5xx, 408, 429, timeouts, dropped connections) are worth retrying. */
export class DownloadError extends InputError {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** Give up when no byte has arrived for this long (connecting, waiting for headers, or mid-body). */
  readonly timeoutMs: number;
  readonly maxRedirects?: number;
  /** 404 and 410 resolve to undefined instead of failing (for optional files such as checksums). */
  readonly allowMissing?: boolean;
  /** Stops the download when aborted: it then fails with Stopped. */
  readonly signal?: AbortSignal | undefined;
}

export interface HttpBody {
  /** The body's length when the server said (and did not compress it for transport). */
  readonly length: number | undefined;
  /** The body, decoded from any Content-Encoding; iterate it once, to the end or until you stop. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

export const MAX_REDIRECTS = 5;

/**
 * Starts a GET and resolves once the headers of the final response are in.
 * Redirects are followed by hand, at most 5 hops and only to http(s) URLs.
 * Every failure is a DownloadError naming `name`.
 */
export async function openUrl(url: URL, name: string, options: HttpOptions): Promise<HttpBody | undefined> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const idle = idleTimer(options.timeoutMs);
  const stop = options.signal;
  const signal = stop === undefined ? idle.signal : AbortSignal.any([idle.signal, stop]);
  try {
    throwIfStopped(stop, name);
    let current = url;
    for (let hop = 0; ; hop++) {
      // loaded on first use: node-fetch and its dependencies take about 10 MB that runs on local files never need
      const { default: fetch, isRedirect } = await import('node-fetch');
      const response = await fetch(current.href, { redirect: 'manual', signal, headers: { 'user-agent': 'rxnn' } });
      if (isRedirect(response.status)) {
        discard(response);
        if (hop >= maxRedirects) throw new DownloadError(`${name}: more than ${maxRedirects} redirects`, false);
        current = redirectTarget(response, current, name);
        idle.arm();
        continue;
      }
      if (!response.ok) {
        discard(response);
        if (options.allowMissing === true && (response.status === 404 || response.status === 410)) {
          idle.stop();
          return undefined;
        }
        const status = response.status;
        throw new DownloadError(`${name}: HTTP ${status} ${response.statusText}`.trimEnd(), isTransientStatus(status));
      }
      const declared = response.headers.get('content-length');
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const length = declared !== null && !encoded && /^\d+$/.test(declared) ? Number(declared) : undefined;
      return { length, chunks: bodyChunks(response, name, length, idle, options) };
    }
  } catch (error) {
    idle.stop();
    throw describeFetchError(error, name, options);
  }
}

async function* bodyChunks(
  response: Response,
  name: string,
  length: number | undefined,
  idle: IdleTimer,
  options: HttpOptions,
): AsyncGenerator<Uint8Array> {
  const body = response.body;
  let received = 0;
  try {
    idle.arm();
    if (body !== null) {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        idle.arm();
        received += chunk.length;
        yield bytesOf(chunk);
      }
    }
    if (length !== undefined && received < length) {
      throw new DownloadError(`${name}: connection closed after ${received} of ${length} bytes`, true);
    }
  } catch (error) {
    throw describeFetchError(error, name, options);
  } finally {
    idle.stop();
    (body as { destroy?: () => void } | null)?.destroy?.();
  }
}

function redirectTarget(response: Response, from: URL, name: string): URL {
  const location = response.headers.get('location');
  if (location === null) throw new DownloadError(`${name}: HTTP ${response.status} redirect without a Location`, false);
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new DownloadError(`${name}: redirected to an invalid URL "${location}"`, false);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new DownloadError(`${name}: redirected to ${target.href}; only http:// and https:// URLs are followed`, false);
  }
  return target;
}

function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

const TRANSIENT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the end of the data',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connection timed out',
  EAI_AGAIN: 'temporary DNS failure',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function describeFetchError(error: unknown, name: string, options: HttpOptions): Error {
  if (error instanceof InputError || error instanceof Stopped) return error;
  if (options.signal?.aborted === true) return new Stopped(options.signal.reason, `${name}: download stopped by ${String(options.signal.reason)}`);
  const { name: kind, code, message } = error as { name?: string; code?: string; message?: string };
  if (kind === 'AbortError') return new DownloadError(`${name}: timed out: no data for ${options.timeoutMs / 1000} s`, true);
  if (code === 'ENOTFOUND') return new DownloadError(`${name}: host not found`, false);
  const transient = code === undefined ? undefined : TRANSIENT_CODES[code];
  if (transient !== undefined) return new DownloadError(`${name}: ${transient}`, true);
  if (kind === 'FetchError' || code !== undefined) return new DownloadError(`${name}: download failed (${message ?? code})`, true);
  return error instanceof Error ? error : new Error(String(error));
}

function discard(response: Response): void {
  (response.body as { resume?: () => void } | null)?.resume?.();
}

interface IdleTimer {
  readonly signal: AbortSignal;
  arm(): void;
  stop(): void;
}

/** Aborts when `ms` pass without a call to arm(). */
function idleTimer(ms: number): IdleTimer {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), ms);
  };
  arm();
  return { signal: controller.signal, arm, stop: () => clearTimeout(timer) };
}
