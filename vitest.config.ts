import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript sources, so a test never sees a stale dist/.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^@selfkd\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/test/**/*.test.ts'],
    // Generous: tests that train through child processes take minutes on a loaded shared machine,
    // where slow is not broken (none of them blocks its worker; see test/support/run-process.ts).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    globalSetup: ['test/support/temp-dir-setup.ts'],
  },
});
