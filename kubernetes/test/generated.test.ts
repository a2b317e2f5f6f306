import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, K8S_FILES, readAgentConfig, readManifests } from '../src/index.js';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { readValues } from './helpers.js';

describe('generated Kubernetes files (npm run generate)', () => {
  it.each(Object.entries(generatedFiles()).map(([path, content]) => [relative(REPO_ROOT, path), path, content]))(
    '%s is up to date',
    (_name, path, content) => {
      expect(existsSync(path), `${path} is missing: run npm run generate`).toBe(true);
      expect(readFileSync(path, 'utf8'), 'stale: run npm run generate').toBe(content);
    },
  );

  it('embed collector/config.agent.yaml unchanged (one source for the CR and the chart values)', () => {
    const { config } = readAgentConfig();
    const cr = readManifests(K8S_FILES.operatorManifest).find((o) => o.kind === 'OpenTelemetryCollector');
    expect((cr?.spec as { config: unknown }).config).toEqual(config);
    expect((readValues('collector') as { alternateConfig: unknown }).alternateConfig).toEqual(config);
  });
});
