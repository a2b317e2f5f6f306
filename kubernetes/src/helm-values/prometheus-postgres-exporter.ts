/**
 * helm-values/prometheus-postgres-exporter.yaml: postgres-exporter for the demo's Postgres, installed in the demo's
 * namespace so it reads the same Secret as Postgres itself (user and password by reference, never inlined), with a
 * ServiceMonitor that carries the label Prometheus selects on.
 */
import { JOBS, STACK } from '@otelkit/stack-topology';
import { jobRelabeling, PROMETHEUS_SELECTOR_LABELS } from '../cluster.js';
import { DEMO_POSTGRES, POSTGRES_CLIENT_LABEL, POSTGRES_EXPORTER_LABEL } from '../demo-chart.js';

export function postgresExporterValues(): Record<string, unknown> {
  return {
    config: {
      datasource: {
        host: DEMO_POSTGRES.service,
        port: String(STACK.postgres.port),
        database: STACK.postgres.database,
        sslmode: 'disable',
        userSecret: { name: DEMO_POSTGRES.secret, key: DEMO_POSTGRES.userKey },
        passwordSecret: { name: DEMO_POSTGRES.secret, key: DEMO_POSTGRES.passwordKey },
      },
    },
    // lets the exporter through the demo Postgres' NetworkPolicy, and through the namespace's default deny
    podLabels: { ...POSTGRES_CLIENT_LABEL, ...POSTGRES_EXPORTER_LABEL },
    serviceMonitor: {
      enabled: true,
      interval: '15s',
      labels: PROMETHEUS_SELECTOR_LABELS,
      relabelings: [jobRelabeling(JOBS.postgresExporter)],
    },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
  };
}
