/**
 * The collector's hand-written files that repeat names from the source of truth: the span_metrics histogram buckets
 * of collector/config.local.yaml (the same boundaries as otelkit's HTTP server histogram, so the SLO rules read
 * either the same way) and collector/Dockerfile's EXPOSE and health check (the ports of STACK.collector).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { HTTP_DURATION_BUCKETS } from '@otelkit/node/names';
import { STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG } from '../src/index.js';

/** A collector duration (`5ms`, `2.5s`, `1m`) in seconds. */
function seconds(duration: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  const factor = { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
  return Math.round(Number(match[1]) * factor * 1e6) / 1e6;
}

describe('collector/config.local.yaml', () => {
  it('gives span_metrics the buckets of the HTTP server duration histogram (HTTP_DURATION_BUCKETS)', () => {
    const config = parse(readFileSync(CONFIG.collector, 'utf8'));
    const buckets: string[] = config.connectors.span_metrics.histogram.explicit.buckets;
    expect(buckets.map(seconds)).toEqual([...HTTP_DURATION_BUCKETS]);
  });

  it('reads durations as the collector does', () => {
    expect(['5ms', '2.5s', '1m'].map(seconds)).toEqual([0.005, 2.5, 60]);
    expect(() => seconds('5')).toThrow(/not a duration/);
  });
});

describe('collector/Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'collector', 'Dockerfile'), 'utf8');
  const instruction = (keyword: string) =>
    dockerfile
      .split('\n')
      .filter((line) => line.startsWith(`${keyword} `))
      .at(-1)
      ?.slice(keyword.length + 1) ?? '';

  it('exposes the OTLP, metrics and health ports of STACK.collector', () => {
    const { otlpGrpcPort, otlpHttpPort, metricsPort, healthPort } = STACK.collector;
    expect(instruction('EXPOSE').split(/\s+/).map(Number).sort()).toEqual(
      [otlpGrpcPort, otlpHttpPort, metricsPort, healthPort].sort(),
    );
  });

  it('checks health on the health_check port', () => {
    expect(instruction('HEALTHCHECK')).toContain(`http://127.0.0.1:${STACK.collector.healthPort}/`);
  });
});
