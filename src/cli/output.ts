import { errorCode, FileError } from '../core/file-errors.js';

/** stdout was closed by its reader (`rxnn predict … | head`): the command ends quietly, exit status 0. */
export class OutputClosed extends Error {
  override readonly name = 'OutputClosed';
}

/**
 * Writes results to stdout and waits until they are written. A reader that
 * closed the pipe early is OutputClosed; any other failure (a full disk
 * behind `> file`) is a FileError naming stdout.
 */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(describeOutputError(error)) : resolve()));
  });
}

function describeOutputError(error: Error): Error {
  const code = errorCode(error);
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return new OutputClosed('stdout was closed');
  return code === undefined ? error : new FileError('stdout', code, 'write the results');
}

/**
 * Keeps failures of stdout and stderr from crashing the process (Node
 * raises them as unhandled 'error' events): a closed stderr only loses
 * progress lines, and a stdout failure is reported by the write that met it
 * (writeOut). Call once, in the bin entry.
 */
export function guardStandardStreams(): void {
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
}
