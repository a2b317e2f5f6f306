import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, systemBinary } from '@otelkit/native-runtime';

/** `docker-compose config` (Debian's docker-compose 1.29): validates the file and resolves .env without an engine. */
function composeConfig(...args: string[]): string {
  return execFileSync(systemBinary('docker-compose'), ['-f', join(REPO_ROOT, 'docker-compose.yml'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

describe('docker-compose.yml', () => {
  it('passes `docker-compose config` with every profile', () => {
    const resolved = parse(composeConfig('--profile', 'load-test', 'config'));
    expect(Object.keys(resolved.services).sort()).toEqual(
      [
        STACK.postgres.service,
        STACK.postgresExporter.service,
        STACK.jaeger.service,
        STACK.prometheus.service,
        STACK.alertmanager.service,
        STACK.collector.service,
        STACK.grafana.service,
        STACK.demo.service,
        'demo-seed',
        'k6',
      ].sort(),
    );
    // .env values are substituted: no unresolved variables remain
    expect(JSON.stringify(resolved)).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(resolved.services[STACK.collector.service].environment.JAEGER_OTLP_ENDPOINT).toBe(
      `${STACK.jaeger.service}:${STACK.jaeger.otlpGrpcPort}`,
    );
  });
});
