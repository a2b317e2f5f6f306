import type { StackPorts } from './ports.js';

/** What each URL of the stack shows (printed by `npm run stack`, listed in the README). */
export function stackUrls(ports: StackPorts): Array<{ name: string; url: string; what: string }> {
  const at = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;
  return [
    { name: 'demo API', url: at(ports.demo, '/docs'), what: 'the API and its OpenAPI docs' },
    { name: 'demo metrics', url: at(ports.demoMetrics, '/metrics'), what: 'RED, runtime and pg metrics (exemplars)' },
    { name: 'Jaeger', url: at(ports.jaegerQuery, '/api/services'), what: 'traces (API; the native build has no UI)' },
    { name: 'Prometheus', url: at(ports.prometheus), what: 'queries, targets, alerts' },
    { name: 'Alertmanager', url: at(ports.alertmanager, '/api/v2/alerts'), what: 'alerts and their routing (API)' },
    { name: 'collector', url: at(ports.collectorMetrics, '/metrics'), what: "the collector's own metrics" },
    { name: 'postgres-exporter', url: at(ports.postgresExporter, '/metrics'), what: 'PostgreSQL metrics' },
  ];
}
