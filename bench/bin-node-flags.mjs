// The Node flags the rxnn bin starts with (from its #! line), so that runs in the bench's own
// processes are measured as `npx rxnn` runs.
import { readFileSync } from 'node:fs';

export const binNodeFlags = readFileSync(new URL('../dist/cli/main.js', import.meta.url), 'utf8')
  .split('\n', 1)[0]
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));
