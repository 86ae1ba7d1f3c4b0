/**
 * How to run rxnn again the way it was run now, for hints such as "continue
 * with: …": npm sets npm_command=exec for `npx rxnn` (and `npm exec`), where
 * a bare `rxnn` would not be found with a local install.
 */
export function invokedAs(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_command === 'exec' ? 'npx rxnn' : 'rxnn';
}
