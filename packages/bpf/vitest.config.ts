import { defineConfig } from 'vitest/config';

// The C checks: programs built by the Makefile (build/), run against references. The formatter's
// property runs 400 cases through a process each: seconds on a busy machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
