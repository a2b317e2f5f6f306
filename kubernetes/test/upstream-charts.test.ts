import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartSource, K8S_FILES } from '../src/index.js';
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

const referenceCrds = join(REPO_ROOT, '..', 'shared', 'upstream', 'crds');

describe.skipIf(!existsSync(referenceCrds))('kubernetes/upstream-crds', () => {
  it('is byte for byte the reference CRDs of ../shared/upstream/crds (Gateway API)', () => {
    const vendored = files(K8S_FILES.upstreamCrds).map((file) => relative(K8S_FILES.upstreamCrds, file));
    expect(vendored.length).toBeGreaterThanOrEqual(5);
    for (const file of vendored)
      expect(readFileSync(join(K8S_FILES.upstreamCrds, file), 'utf8'), file).toBe(
        readFileSync(join(referenceCrds, file), 'utf8'),
      );
  });
});

describe.skipIf(!existsSync(reference))('kubernetes/upstream-charts', () => {
  it('lists in its README every chart folder that the reference does not carry', () => {
    const readme = readFileSync(join(K8S_FILES.upstreamCharts, 'README.md'), 'utf8');
    for (const folder of readdirSync(K8S_FILES.upstreamCharts).filter((name) => name !== 'README.md')) {
      if (!existsSync(join(reference, folder))) expect(readme, folder).toContain(`\`${folder}\``);
    }
  });

  it('is byte for byte the reference chart data of ../shared/upstream/charts', () => {
    // charts the reference does not carry (yet) are vendored from their release tag, as the README lists
    const vendored = files(K8S_FILES.upstreamCharts)
      .map((file) => relative(K8S_FILES.upstreamCharts, file))
      .filter((file) => file !== 'README.md' && existsSync(join(reference, file.split('/')[0] ?? '')));
    expect(vendored.length).toBeGreaterThan(10);
    for (const file of vendored)
      expect(readFileSync(join(K8S_FILES.upstreamCharts, file), 'utf8'), file).toBe(
        readFileSync(join(reference, file), 'utf8'),
      );
  });
});

describe('chartSource', () => {
  const sources = join(K8S_FILES.upstreamChartSources, 'opensearch');
  const vendored = join(K8S_FILES.upstreamCharts, 'opensearch-2.37.0');

  it('takes OTELKIT_OPENSEARCH_CHART first, and rejects a folder without a chart', () => {
    expect(chartSource('opensearch', { OTELKIT_OPENSEARCH_CHART: vendored })).toBe(vendored);
    expect(() => chartSource('opensearch', { OTELKIT_OPENSEARCH_CHART: K8S_FILES.upstreamCharts })).toThrow(
      /OTELKIT_OPENSEARCH_CHART=.*no Chart.yaml there/,
    );
  });

  it('then the reference chart sources, then the chart vendored whole; none for values-only vendored data', () => {
    expect(chartSource('opensearch', {})).toBe(existsSync(sources) ? sources : vendored);
    expect(existsSync(join(vendored, 'templates', 'statefulset.yaml'))).toBe(true);
    const jaeger = join(K8S_FILES.upstreamChartSources, 'jaeger');
    expect(chartSource('jaeger', {})).toBe(existsSync(jaeger) ? jaeger : undefined);
  });
});
