import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, ManagedProcess, REPO_ROOT, waitUntil } from '@otelkit/native-runtime';
import { SERIES_FIXTURE } from './paths.js';
import { cpuTimeMs } from './proc-stats.js';
import type { MetricsScrape } from './results-schema.js';

/** What Prometheus 3.14 sends (captured from the pinned build): OpenMetrics first (exemplars), then text. */
export const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

/** Sample lines of an exposition (comments, `# EOF` and blank lines excluded). */
function countSeries(exposition: string): number {
  let count = 0;
  for (const line of exposition.split('\n')) if (line !== '' && !line.startsWith('#')) count++;
  return count;
}

/** The many-series fixture, running: its /metrics URL and process id. */
export interface SeriesFixture {
  url: string;
  pid: number;
}

/** One scrape: its wall time, the body and its content type. */
export interface Scrape {
  ms: number;
  body: string;
  contentType: string;
}

async function scrapeOnce(url: string, accept: string): Promise<Scrape> {
  const started = performance.now();
  const response = await fetch(url, { headers: { Accept: accept } });
  const body = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`/metrics answered ${response.status}: ${body.slice(0, 200)}`);
  return { ms, body, contentType: response.headers.get('content-type') ?? '' };
}

/**
 * Runs the many-series fixture (`tenants x operations` user series under `@otelkit/node`, `env` on top) until
 * `use` settles, once its series are served (asked for with `accept`, by default as Prometheus asks: with
 * prom-client's own serializer, an OpenMetrics scrape renames the counters of every later text scrape).
 */
export async function withSeriesFixture<T>(
  options: { tenants: number; operations: number; logDir: string; env?: Record<string, string>; accept?: string },
  use: (fixture: SeriesFixture) => Promise<T>,
): Promise<T> {
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
      ...options.env,
    },
    logFile: join(options.logDir, 'many-series.log'),
    readyUrl: url,
  });
  await fixture.start();
  try {
    const pid = fixture.pid;
    if (pid === undefined) throw new Error('the many-series fixture has no pid');
    await waitUntil(
      async () =>
        (await scrapeOnce(url, options.accept ?? PROMETHEUS_ACCEPT)).body.includes('shop_tenant_operations_total{'),
      {
        what: 'the fixture to register its series',
        timeoutMs: 30_000,
      },
    );
    return await use({ url, pid });
  } finally {
    await fixture.stop();
  }
}

/**
 * `scrapes` sequential scrapes after two unmeasured ones (the first scrapes compile and cache what later ones
 * reuse): each one's wall time, the fixture's CPU time over all of them, and the last body.
 */
export async function timeScrapes(
  fixture: SeriesFixture,
  scrapes: number,
  accept = PROMETHEUS_ACCEPT,
): Promise<{ durationsMs: number[]; cpuMsPerScrape: number; last: Scrape }> {
  await scrapeOnce(fixture.url, accept);
  let last = await scrapeOnce(fixture.url, accept);
  const durationsMs: number[] = [];
  const cpuBefore = cpuTimeMs(fixture.pid);
  for (let i = 0; i < scrapes; i++) {
    last = await scrapeOnce(fixture.url, accept);
    durationsMs.push(last.ms);
  }
  const cpuMsPerScrape = (cpuTimeMs(fixture.pid) - cpuBefore) / scrapes;
  return { durationsMs, cpuMsPerScrape, last };
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
  return withSeriesFixture(options, async (fixture) => {
    const { durationsMs, cpuMsPerScrape, last } = await timeScrapes(fixture, options.scrapes);
    const series = countSeries(last.body);
    if (series < userSeries) throw new Error(`/metrics served ${series} series, expected at least ${userSeries}`);
    return {
      series,
      userSeries,
      bytes: Buffer.byteLength(last.body),
      contentType: last.contentType,
      durationsMs,
      cpuMsPerScrape,
    };
  });
}
