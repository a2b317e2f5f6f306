import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isCustomResource, jaegerConfig, K8S_FILES, openSearchBackend, readManifests } from '../src/index.js';
import { kubernetesValidate, readValues, runTool, scratchDir, shippedManifestFiles } from './helpers.js';

describe('plain manifests validate against the Kubernetes schemas (kubernetes-validate, strict)', () => {
  it.each(shippedManifestFiles())('%s', (file) => {
    const plain = readManifests(file).filter((o) => !isCustomResource(o));
    if (plain.length === 0) return;
    const run = kubernetesValidate(plain);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});

describe('the collector configs embedded in the manifests validate with the built collectors', () => {
  const validateWith = (tool: 'otelcol-otelkit' | 'jaeger', config: unknown, env: NodeJS.ProcessEnv = {}) => {
    const { dir, cleanup } = scratchDir('embedded');
    try {
      const path = join(dir, 'config.yaml');
      // strings quoted, as Helm's toYaml writes them: a plain 2006-01-02 (a date layout) would read as a timestamp
      writeFileSync(path, stringify(config, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
      return runTool(tool, ['validate', `--config=${path}`], env);
    } finally {
      cleanup();
    }
  };
  const agentEnv = { K8S_NODE_NAME: 'node-a' };

  it('the OpenTelemetryCollector resource', () => {
    const cr = readManifests(K8S_FILES.operatorManifest).find((o) => o.kind === 'OpenTelemetryCollector');
    const run = validateWith('otelcol-otelkit', (cr?.spec as { config: unknown }).config, agentEnv);
    expect(run.status, run.stderr).toBe(0);
  });
  it('the opentelemetry-collector chart values (alternateConfig)', () => {
    const run = validateWith(
      'otelcol-otelkit',
      (readValues('collector') as { alternateConfig: unknown }).alternateConfig,
      agentEnv,
    );
    expect(run.status, run.stderr).toBe(0);
  });
  it('the jaeger chart values (userconfig) with the built Jaeger v2', () => {
    expect((readValues('jaeger') as { userconfig: unknown }).userconfig).toEqual(jaegerConfig());
    const run = validateWith('jaeger', jaegerConfig());
    expect(run.status, run.stderr).toBe(0);
  });
  it('the Jaeger-on-OpenSearch values (userconfig) with the built Jaeger v2', () => {
    const config = jaegerConfig(openSearchBackend());
    expect((readValues('jaegerOpenSearch') as { userconfig: unknown }).userconfig).toEqual(config);
    const run = validateWith('jaeger', config, { OPENSEARCH_USERNAME: 'jaeger' });
    expect(run.status, run.stderr).toBe(0);
  });
  it('a broken embedded config fails (the check can fail)', () => {
    const run = validateWith('otelcol-otelkit', {
      receivers: { otlp: {} },
      exporters: {},
      service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['missing'] } } },
    });
    expect(run.status).not.toBe(0);
  });
});
