import { BaseSequencer, type TestSpecification } from 'vitest/node';
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

/**
 * ceiling.fault.test.ts first (it measures the rate the other faults run at: faults/src/fault-rate.ts), then the
 * others by name, so every run has the same order.
 */
class CeilingFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => (file.moduleId.endsWith('/ceiling.fault.test.ts') ? 0 : 1);
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: CeilingFirstSequencer },
    projects: [
      project('faults', 'faults/test/**/*.fault.test.ts', 600_000),
      project('soak', 'faults/test/**/*.soak.test.ts', 3_600_000),
    ],
  },
});
