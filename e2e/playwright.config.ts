import { defineConfig } from '@playwright/test';

/**
 * End-to-end journeys in Debian's Chromium (no browser download) against the app that scripts/start.sh runs:
 * scripts/e2e.sh starts it, waits until the demo catalog is synced, runs these, and stops it.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: '../e2e-test-results/artifacts',
  // A journey drives several pages of the development bundle and a scaffolder run on a 2-core machine.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    ['json', { outputFile: '../e2e-test-results/results.json' }],
  ],
  use: {
    baseURL: process.env.PRIVATELINK_APP_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // As root in a sandbox without a network: no sandbox, and none of Chromium's own background traffic.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
