import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory in MB. getrusage's max RSS survives exec, so a child
 * reports its parent's size if that was larger; Linux's VmHWM belongs to this process alone.
 */
export function peakRssMb() {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
