import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const RXNN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built rxnn command as a user would, with pipes (no TTY) for stdout and stderr. */
export function runRxnn(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    // Started directly, not through npx, whichever way the tests themselves were started (hints name `npx rxnn` under npx).
    const { npm_command: _npx, ...env } = process.env;
    const child = spawn(process.execPath, [RXNN, ...args], { cwd: options.cwd, env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
