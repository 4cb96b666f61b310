import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium against a real agent (real collector, real traffic)
// and `next start`; e2e/global-setup.ts starts both and tears them down.
export default defineConfig({
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  globalTimeout: 20 * 60_000,
  expect: { timeout: 20_000 },
  outputDir: './test-results',
  reporter: [['list']],
  projects: [
    // The pure functions' unit tests run under Vitest (vitest.config.ts), without the stack.
    { name: 'browser', testDir: './e2e', testMatch: '*.spec.ts' },
    // Benchmarks print figures and are run by scripts/bench, never by `pnpm test`.
    { name: 'bench', testDir: './bench', testMatch: '*.spec.ts' },
  ],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
});
