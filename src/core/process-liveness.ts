import { readFileSync } from 'node:fs';
import { errorCode } from './file-errors.js';

/** When process `pid` started, as the kernel counts it (field 22 of /proc/PID/stat, Linux); undefined where that cannot be read. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether process `pid` of this machine still runs. With `started` (its
 * processStart when it was recorded), a process that reuses the id is told
 * apart where the start time can be read.
 */
export function isProcessRunning(pid: number, started?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
  }
  const now = processStart(pid);
  return now === undefined || started === undefined || now === started;
}
