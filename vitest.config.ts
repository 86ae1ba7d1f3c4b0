import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every core: most tests wait on an rxnn child process, and one worker left the second core idle (549 s against 337 s, 2026-12-06).
    maxWorkers: availableParallelism(),
  },
});
