import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOBS } from '@otelkit/stack-topology';
import { type PrometheusInstance, readToolVersions, waitUntil } from '@otelkit/native-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { freeStackPorts, type StackContext, startPrometheus } from '../src/index.js';

/** The native stack's Prometheus: the pinned Prometheus 3, whose TSDB outlives a restart as Postgres's data does. */
const ctx: StackContext = { ports: await freeStackPorts(), dir: mkdtempSync(join(tmpdir(), 'otelkit-stack-prom-')) };
let prometheus: PrometheusInstance | undefined;
afterAll(async () => {
  await prometheus?.stop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const selfUp = `up{job="${JOBS.prometheus}"}`;

describe('the native stack Prometheus', () => {
  it('is the pinned Prometheus 3 of tools/versions.env', async () => {
    prometheus = await startPrometheus(ctx);
    const info = await prometheus.api<{ version: string }>('status/buildinfo');
    expect(`v${info.version}`).toBe(readToolVersions().PROMETHEUS_VERSION);
  });

  it('keeps its samples across a restart, in <stack dir>/prometheus/data', async () => {
    if (prometheus === undefined) throw new Error('not started');
    await waitUntil(async () => (await prometheus?.query(`${selfUp} == 1`))?.length === 1, {
      what: 'a scrape of Prometheus itself',
      timeoutMs: 30_000,
    });
    const before = Date.now() / 1000;
    await prometheus.stop();
    prometheus = await startPrometheus(ctx);
    const { result } = await prometheus.api<{ result: Array<{ values: Array<[number, string]> }> }>('query', {
      query: `${selfUp}[1m]`,
      time: String(before),
    });
    expect(result[0]?.values.length, 'scrapes from before the restart').toBeGreaterThan(0);
    expect(readdirSync(join(ctx.dir, 'prometheus')).sort()).toEqual(['config', 'data']);
  });
});
