import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, in-process) and `integration` (real child processes, Postgres, Prometheus,
 * collectors; run one file at a time so timing-sensitive servers do not compete for the 2 cores).
 * `npm test` runs both. The end-to-end and fault suites have their own configs (vitest.e2e.config.ts, vitest.faults.config.ts).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            '{demo,dashboards,stack,loadtest,kubernetes,faults,bench}/test/**/*.test.ts',
          ],
          exclude: [
            '**/*.int.test.ts',
            '**/*.e2e.test.ts',
            '**/*.fault.test.ts',
            '**/*.soak.test.ts',
            '**/node_modules/**',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.int.test.ts',
            '{demo,dashboards,stack,loadtest,kubernetes,faults,bench}/test/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
