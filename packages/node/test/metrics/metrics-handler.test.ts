import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsHandler } from '../../src/index.js';
import { MetricsExposition } from '../../src/metrics/metrics-exposition.js';
import { METRICS } from '../../src/names.js';

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the /metrics handler mounted in Express', () => {
  it('serves the exposition, negotiating OpenMetrics', async () => {
    const exposition = new MetricsExposition({ runtime: true });
    const app = express();
    app.get('/internal/metrics', exposition.handler());
    const base = await serve(app);
    const text = await fetch(`${base}/internal/metrics`);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await text.text()).toContain(`# TYPE ${METRICS.processResidentMemory} gauge`);
    const om = await fetch(`${base}/internal/metrics`, { headers: { accept: 'application/openmetrics-text' } });
    expect((await om.text()).endsWith('# EOF\n')).toBe(true);
  });

  it('answers 503 from metricsHandler() while otelkit is not started', async () => {
    const app = express();
    app.get('/metrics', metricsHandler());
    const response = await fetch(`${await serve(app)}/metrics`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('# otelkit is not started\n');
  });
});
