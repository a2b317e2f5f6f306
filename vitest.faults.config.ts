import { defineConfig } from 'vitest/config';

/**
 * Fault suite (`npm run test:faults`, project `faults`): each file starts its own native stack, drives it with k6
 * and kills, restarts or floods one component (faults/README.md). One file at a time: each runs a whole stack.
 * The 10-minute soak (`npm run soak`, project `soak`) is not part of CI.
 */
const project = (name: string, include: string, testTimeout: number) => ({
  test: {
    name,
    include: [include],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout,
    hookTimeout: 300_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('faults', 'faults/test/**/*.fault.test.ts', 600_000),
      project('soak', 'faults/test/**/*.soak.test.ts', 3_600_000),
    ],
  },
});
