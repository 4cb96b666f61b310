import { defineConfig } from 'vitest/config';

// The C checks: programs built by the Makefile (build/), run against references.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'] },
});
