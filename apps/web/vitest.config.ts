import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit tests of the console's pure code (formatting, parsing, URL state, domain helpers): no
// browser, no agent. The browser tests are Playwright's (playwright.config.ts, e2e/).
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
  test: { include: ['test/unit/**/*.test.ts'] },
});
