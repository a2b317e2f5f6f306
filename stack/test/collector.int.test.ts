import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG, collectorEnv, defaultPorts, REPO_ROOT, readToolVersions, toolBinary } from '../src/index.js';

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
    expect(names('processors')).toEqual(['batch', 'k8s_attributes', 'memory_limiter', 'resource_detection']);
    expect(names('exporters')).toEqual(['debug', 'otlp_grpc', 'otlp_http', 'prometheus_remote_write']);
    expect(names('connectors')).toEqual(['span_metrics']);
    expect(names('extensions')).toEqual(['health_check']);
    const output = execFileSync(binary, ['validate', `--config=${CONFIG.collector}`], {
      encoding: 'utf8',
      env: { ...process.env, ...collectorEnv(defaultPorts()) },
    });
    expect(output).not.toMatch(/deprecated/i);
  });
});
