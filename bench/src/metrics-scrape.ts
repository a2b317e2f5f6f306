import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '@otelkit/stack';
import { freePort, ManagedProcess, waitUntil } from '@otelkit/testkit';
import { SERIES_FIXTURE } from './paths.js';
import type { MetricsScrape } from './results-schema.js';

/** What Prometheus 3.14 sends (captured from the pinned build): OpenMetrics first (exemplars), then text. */
export const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

/** Sample lines of an exposition (comments, `# EOF` and blank lines excluded). */
export function countSeries(exposition: string): number {
  let count = 0;
  for (const line of exposition.split('\n')) if (line !== '' && !line.startsWith('#')) count++;
  return count;
}

/**
 * Times `scrapes` sequential scrapes of otelkit's /metrics serving `tenants x operations` user series (the
 * many-series fixture), as Prometheus asks for them.
 */
export async function measureScrape(options: {
  tenants: number;
  operations: number;
  scrapes: number;
  logDir: string;
}): Promise<MetricsScrape> {
  const userSeries = options.tenants * options.operations;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/metrics`;
  const fixture = new ManagedProcess({
    name: 'many-series',
    command: process.execPath,
    args: ['--import', '@otelkit/node/register', SERIES_FIXTURE],
    cwd: REPO_ROOT,
    env: {
      OTEL_SERVICE_NAME: 'bench-many-series',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      SERIES_TENANTS: String(options.tenants),
      SERIES_OPERATIONS: String(options.operations),
    },
    logFile: join(options.logDir, 'many-series.log'),
    readyUrl: url,
  });
  await fixture.start();
  try {
    const scrape = async () => {
      const started = performance.now();
      const response = await fetch(url, { headers: { Accept: PROMETHEUS_ACCEPT } });
      const body = await response.text();
      const ms = performance.now() - started;
      if (!response.ok) throw new Error(`/metrics answered ${response.status}: ${body.slice(0, 200)}`);
      return { ms, body, contentType: response.headers.get('content-type') ?? '' };
    };
    await waitUntil(async () => (await scrape()).body.includes('shop_tenant_operations_total{'), {
      what: 'the fixture to register its series',
      timeoutMs: 30_000,
    });
    // two unmeasured scrapes: the first ones compile and cache what later scrapes reuse
    await scrape();
    const last = await scrape();
    const durationsMs: number[] = [];
    for (let i = 0; i < options.scrapes; i++) durationsMs.push((await scrape()).ms);
    const series = countSeries(last.body);
    if (series < userSeries) throw new Error(`/metrics served ${series} series, expected at least ${userSeries}`);
    return {
      series,
      userSeries,
      bytes: Buffer.byteLength(last.body),
      contentType: last.contentType,
      durationsMs,
    };
  } finally {
    await fixture.stop();
  }
}
