import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8S_FILES } from '../src/index.js';
import { REPO_ROOT } from '@otelkit/native-runtime';

/**
 * kubernetes/upstream-charts is a vendored copy of the project's reference chart data (../shared/upstream/charts
 * beside the repository, where it exists: the developers' machines and CI), so the tests also run on a clone
 * without it. Where the reference is present, the copy must not drift from it.
 */
const reference = join(REPO_ROOT, '..', 'shared', 'upstream', 'charts');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe.skipIf(!existsSync(reference))('kubernetes/upstream-charts', () => {
  it('is byte for byte the reference chart data of ../shared/upstream/charts', () => {
    const vendored = files(K8S_FILES.upstreamCharts)
      .map((file) => relative(K8S_FILES.upstreamCharts, file))
      .filter((file) => file !== 'README.md');
    expect(vendored.length).toBeGreaterThan(10);
    for (const file of vendored)
      expect(readFileSync(join(K8S_FILES.upstreamCharts, file), 'utf8'), file).toBe(
        readFileSync(join(reference, file), 'utf8'),
      );
  });
});
