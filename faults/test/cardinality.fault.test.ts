// Fault 5: a cardinality attack: 10,000 requests to random paths with unusual and bogus methods must not grow the
// demo's metric series (on /metrics and in Prometheus) beyond a fixed bound.
import { HTTP_LABELS, METRICS, OTHER_METHOD, UNMATCHED_ROUTE } from '@otelkit/node/names';
import { KNOWN_HTTP_METHODS } from '../../packages/node/src/names.js';
import { JOBS } from '@otelkit/stack-topology';
import { FLOOD_METHODS, floodRandomPaths, labelOf, sampleLines, scrapeText, seriesOf } from '@otelkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultStack, recordFigures, residentMemory, sleep, toMiB, toSeconds } from '../src/index.js';

const REQUESTS = 10_000;
/** Methods outside HTTP altogether: Node's parser answers them 400 before the app or otelkit sees them. */
const BOGUS_METHODS = ['FOO', 'GETT'];
/** New series allowed: one histogram (buckets + sum + count) per unmatched method and status, and runtime churn. */
const SERIES_GROWTH_BOUND = 4 * 18 + 60;
/**
 * The same bound in Prometheus, which keeps more series per exposed line (OpenMetrics `_created` series, staleness
 * of series that changed labels within the 5-minute lookback): 3x, still independent of the 10,000 requests.
 */
const PROMETHEUS_GROWTH_BOUND = 3 * SERIES_GROWTH_BOUND;

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

const durationCounts = (body: string) => seriesOf(body, `${METRICS.httpServerDuration}_count`);

it('10,000 random paths and bogus methods leave the series count bounded', async () => {
  const started = Date.now();
  const openapi = (await (await fetch(`${faults.demoUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  const routeTemplates = Object.keys(openapi.paths).map((p) => p.replace(/\{(\w+)\}/g, ':$1'));
  // some ordinary traffic first, so the known routes have their series
  for (const path of ['/items', '/items/1', '/orders/1', '/reports/sales'])
    await (await fetch(`${faults.demoUrl}${path}`)).text();
  const promSeries = async () =>
    Number((await faults.stack.prometheus?.query(`count({job="${JOBS.demo}"})`))?.[0]?.value[1] ?? Number.NaN);
  const scrapeInterval = 5_000; // stack/config/prometheus/prometheus.yml scrapes every 5 s
  await sleep(2 * scrapeInterval);
  const before = await scrapeText(faults.demoMetricsUrl);
  const promBefore = await promSeries();

  const { statuses } = await floodRandomPaths(faults.demoUrl, {
    count: REQUESTS,
    concurrency: 16,
    methods: [...FLOOD_METHODS, ...BOGUS_METHODS],
  });
  await sleep(2 * scrapeInterval);
  const after = await scrapeText(faults.demoMetricsUrl);
  const promAfter = await promSeries();

  const routes = new Set(durationCounts(after).map((l) => labelOf(l, HTTP_LABELS.route)));
  const unmatchedMethods = new Set(
    durationCounts(after)
      .filter((l) => labelOf(l, HTTP_LABELS.route) === UNMATCHED_ROUTE)
      .map((l) => labelOf(l, HTTP_LABELS.method)),
  );
  const growth = sampleLines(after).length - sampleLines(before).length;
  const statusText = [...statuses].map(([s, n]) => `${s}: ${n}`).join(', ');

  recordFigures('cardinality', {
    order: 5,
    title: 'Cardinality attack',
    fault: `${REQUESTS} requests to distinct random paths with methods ${[...FLOOD_METHODS, ...BOGUS_METHODS].join(', ')}.`,
    requests: REQUESTS,
    errors: statuses.get(0) ?? 0,
    details: {
      'answers by status': statusText,
      'demo RSS before / after the flood (MiB)': `${toMiB(residentMemory(before))} / ${toMiB(residentMemory(after))}`,
      'series on the demo /metrics before / after': `${sampleLines(before).length} / ${sampleLines(after).length}`,
      [`series of job ${JOBS.demo} in Prometheus before / after`]: `${promBefore} / ${promAfter}`,
      'http_route values after the flood': [...routes].map((r) => JSON.stringify(r)).join(', '),
      'methods of unmatched requests after the flood': [...unmatchedMethods].join(', '),
      'series growth bound asserted on /metrics / in Prometheus': `${SERIES_GROWTH_BOUND} / ${PROMETHEUS_GROWTH_BOUND}`,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(statuses.get(0) ?? 0).toBe(0);
  expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  for (const route of routes) expect([UNMATCHED_ROUTE, ...routeTemplates]).toContain(route);
  for (const method of unmatchedMethods) expect([...KNOWN_HTTP_METHODS, OTHER_METHOD]).toContain(method);
  expect(growth).toBeLessThan(SERIES_GROWTH_BOUND);
  expect(promAfter - promBefore).toBeLessThan(PROMETHEUS_GROWTH_BOUND);
});
