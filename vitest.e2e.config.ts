import { defineConfig } from 'vitest/config';

/**
 * End-to-end suite (`npm run test:e2e`): the native stack (same components and config files as docker-compose.yml)
 * under k6 load, asserted through the real Jaeger and Prometheus APIs. One file at a time: each starts a stack.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['{stack,dashboards,loadtest,kubernetes}/test/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
