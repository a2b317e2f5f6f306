import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectorEnv, CONFIG, defaultPorts } from '../src/index.js';
import { readToolVersions, REPO_ROOT, toolBinary } from '@otelkit/native-runtime';

const manifest = parse(readFileSync(join(REPO_ROOT, 'collector', 'builder-config.yaml'), 'utf8'));
const versions = readToolVersions();

describe('the otelcol-otelkit distribution', () => {
  it('pins its modules at the versions of tools/versions.env', () => {
    const modules: string[] = ['receivers', 'processors', 'exporters', 'connectors', 'extensions', 'providers'].flatMap(
      (kind) => (manifest[kind] ?? []).map((c: { gomod: string }) => c.gomod),
    );
    for (const gomod of modules) {
      const [path = '', version] = gomod.split(' ');
      const expected = path.includes('k8sattributesprocessor')
        ? versions.OTELCOL_K8SATTRIBUTES_VERSION
        : path.startsWith('github.com/open-telemetry/opentelemetry-collector-contrib/')
          ? versions.OTELCOL_CONTRIB_VERSION
          : path.includes('/confmap/provider/')
            ? versions.OTELCOL_STABLE_VERSION
            : versions.OTELCOL_VERSION;
      expect(version, path).toBe(expected);
    }
    expect(manifest.dist.version).toBe(`${versions.OTELCOL_VERSION?.replace(/^v/, '')}-otelkit`);
  });

  it('has exactly the components the configs use (and validates the local config)', () => {
    const binary = toolBinary('otelcol-otelkit');
    const components = parse(execFileSync(binary, ['components'], { encoding: 'utf8' }));
    const names = (kind: string) => (components[kind] as Array<{ name: string }>).map((c) => c.name).sort();
    expect(names('receivers')).toEqual(['otlp']);
    expect(names('processors')).toEqual([
      'batch',
      'k8s_attributes',
      'memory_limiter',
      'resource_detection',
      'tail_sampling',
    ]);
    expect(names('exporters')).toEqual([
      'debug',
      'load_balancing',
      'otlp_grpc',
      'otlp_http',
      'prometheus_remote_write',
    ]);
    expect(names('connectors')).toEqual(['span_metrics']);
    expect(names('extensions')).toEqual(['file_storage', 'health_check']);
    const output = execFileSync(binary, ['validate', `--config=${CONFIG.collector}`], {
      encoding: 'utf8',
      env: { ...process.env, ...collectorEnv(defaultPorts()) },
    });
    expect(output).not.toMatch(/deprecated/i);
  });
});

describe('collector/config.gateway.yaml (the gateway tier)', () => {
  it('validates with the built collector, without deprecated component ids', () => {
    const output = execFileSync(toolBinary('otelcol-otelkit'), ['validate', `--config=${CONFIG.collectorGateway}`], {
      encoding: 'utf8',
      env: { ...process.env, ...collectorEnv(defaultPorts()) },
    });
    expect(output).not.toMatch(/deprecated/i);
  });
});

describe('collector/config.agent.yaml (the Kubernetes DaemonSet agent)', () => {
  it('validates with the built collector, outside any cluster, without deprecated component ids', () => {
    // k8s_attributes builds its pipeline without an API server; K8S_NODE_NAME comes from the downward API in a pod.
    const output = execFileSync(toolBinary('otelcol-otelkit'), ['validate', `--config=${CONFIG.collectorAgent}`], {
      encoding: 'utf8',
      env: { ...process.env, ...collectorEnv(defaultPorts()), K8S_NODE_NAME: 'node-a' },
    });
    expect(output).not.toMatch(/deprecated/i);
  });

  it('fails validation when a processor is misspelled (the check can fail)', () => {
    const broken = readFileSync(CONFIG.collectorAgent, 'utf8').replace(
      'processors: [memory_limiter, k8s_attributes,',
      'processors: [memory_limiter, k8s_atributes,',
    );
    expect(broken).toContain('k8s_atributes');
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-agent-'));
    try {
      const path = join(dir, 'broken.yaml');
      writeFileSync(path, broken);
      expect(() =>
        execFileSync(toolBinary('otelcol-otelkit'), ['validate', `--config=${path}`], {
          encoding: 'utf8',
          stdio: 'pipe',
          env: { ...process.env, K8S_NODE_NAME: 'node-a' },
        }),
      ).toThrow(/k8s_atributes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
