import { DB_CLIENT_LABELS, METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { KUBERNETES, POSTGRES_EXPORTER, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import type { DashboardSpec } from '../grafana.js';
import { eq, increase, maxBy, percent, quantile, rate, ratio, re, sel, sumBy } from '../promql.js';
import { alertAnnotation, scopeMatchers, scopeVariables } from './scope.js';
import { dashboardUid } from './uids.js';

const PG = POSTGRES_EXPORTER.metrics;
const { database, lockMode, state } = POSTGRES_EXPORTER.labels;
const { job, instance } = PROMETHEUS_LABELS;

/** The database server (postgres-exporter) and the service's side of it (pg instrumentation). */
export function postgresql(config: MixinConfig): DashboardSpec {
  const exporterJob = eq(job, config.jobs.postgresExporter);
  // postgres-exporter runs next to the database, in the service's namespace (kubernetes/: the demo's namespace)
  const exporter = [exporterJob, ...scopeMatchers()];
  const db = [...exporter, re(database, '$datname')];
  const pg = (metric: string, ...extra: string[]) => sel(metric, ...db, ...extra);
  const server = (metric: string) => sel(metric, ...exporter);
  const client = [...scopeMatchers(), eq(job, '$job'), re(KUBERNETES.labels.pod, '$pod')];
  const connectionsRatio = ratio(sumBy([instance], pg(PG.backends)), maxBy([instance], server(PG.maxConnections)));
  const warn = config.thresholds.postgresConnectionsRatio;
  return {
    uid: dashboardUid(config, 'postgresql'),
    title: `${config.service} / PostgreSQL`,
    description: `PostgreSQL server metrics (postgres-exporter, job ${config.jobs.postgresExporter}) and ${config.service}'s client-side query metrics (pg instrumentation).`,
    tags: config.grafana.tags,
    variables: [
      ...scopeVariables(config, PG.up, exporterJob),
      {
        name: 'datname',
        label: 'Database',
        description: 'Databases of the server.',
        query: `label_values(${sel(PG.backends, ...exporter)}, ${database})`,
        current: config.database,
      },
      {
        name: 'job',
        label: 'Client service',
        description: 'Prometheus job of the service whose pg client metrics are shown.',
        query: `label_values(${sel(`${METRICS.dbClientOperationDuration}_count`, ...scopeMatchers())}, ${job})`,
        current: config.jobs.service,
      },
      {
        name: 'pod',
        label: 'Client pod',
        description: 'Kubernetes pods of the client service (All matches every instance outside Kubernetes).',
        query: `label_values(${sel(`${METRICS.dbClientOperationDuration}_count`, ...scopeMatchers(), eq(job, '$job'))}, ${KUBERNETES.labels.pod})`,
        includeAll: true,
        multi: true,
      },
    ],
    links: [{ title: 'Service overview', uid: dashboardUid(config, 'service-overview'), tooltip: 'RED metrics' }],
    annotations: [alertAnnotation(re(job, `${config.jobs.postgresExporter}|$job`))],
    rows: [
      {
        title: 'Server',
        panels: [
          {
            kind: 'stat',
            title: 'Up',
            description: 'Whether postgres-exporter can connect to the server (1 = up).',
            unit: 'bool',
            queries: [{ expr: sumBy([], server(PG.up)), legend: 'up' }],
            baseColor: 'red',
            thresholds: [{ value: 1, color: 'green' }],
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Connections / max_connections',
            description: `Backends connected to the selected databases as a share of max_connections; the alert fires above ${percent(warn)}.`,
            unit: 'percentunit',
            queries: [{ expr: connectionsRatio, legend: `{{${instance}}}` }],
            thresholds: [
              { value: warn * 0.75, color: 'orange' },
              { value: warn, color: 'red' },
            ],
            min: 0,
            max: 1,
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Transactions per second',
            description: 'Commits and rollbacks per second in the selected databases.',
            unit: 'ops',
            queries: [
              {
                expr: `${sumBy([], rate(pg(PG.xactCommit)))} + ${sumBy([], rate(pg(PG.xactRollback)))}`,
                legend: 'tps',
              },
            ],
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Database size',
            description: 'On-disk size of the selected databases.',
            unit: 'bytes',
            queries: [{ expr: sumBy([], pg(PG.databaseSize)), legend: 'size' }],
            width: 6,
          },
        ],
      },
      {
        title: 'Connections and transactions',
        panels: [
          {
            kind: 'timeseries',
            title: 'Connections vs max_connections',
            description: 'Backends per database, against the server-wide connection limit.',
            unit: 'short',
            queries: [
              { expr: sumBy([database], pg(PG.backends)), legend: `{{${database}}}` },
              { expr: maxBy([], server(PG.maxConnections)), legend: 'max_connections' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Sessions by state',
            description: 'Backends by state (active, idle, idle in transaction, ...).',
            unit: 'short',
            queries: [{ expr: sumBy([state], pg(PG.activityCount)), legend: `{{${state}}}` }],
            stacked: true,
          },
          {
            kind: 'timeseries',
            title: 'Commits and rollbacks',
            description: 'Transactions committed and rolled back per second.',
            unit: 'ops',
            queries: [
              { expr: sumBy([], rate(pg(PG.xactCommit))), legend: 'commits' },
              { expr: sumBy([], rate(pg(PG.xactRollback))), legend: 'rollbacks' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Rows fetched, inserted, updated, deleted',
            description: 'Row operations per second in the selected databases.',
            unit: 'ops',
            queries: [
              { expr: sumBy([], rate(pg(PG.tuplesFetched))), legend: 'fetched' },
              { expr: sumBy([], rate(pg(PG.tuplesInserted))), legend: 'inserted' },
              { expr: sumBy([], rate(pg(PG.tuplesUpdated))), legend: 'updated' },
              { expr: sumBy([], rate(pg(PG.tuplesDeleted))), legend: 'deleted' },
            ],
          },
        ],
      },
      {
        title: 'Cache, locks and slow queries',
        panels: [
          {
            kind: 'timeseries',
            title: 'Cache hit ratio',
            description: 'Share of block reads served from shared buffers; below 99% the working set no longer fits.',
            unit: 'percentunit',
            queries: [
              {
                expr: ratio(
                  sumBy([], rate(pg(PG.blocksHit))),
                  `(${sumBy([], rate(pg(PG.blocksHit)))} + ${sumBy([], rate(pg(PG.blocksRead)))})`,
                ),
                legend: 'hit ratio',
              },
            ],
            baseColor: 'red',
            thresholds: [
              { value: 0.9, color: 'orange' },
              { value: 0.99, color: 'green' },
            ],
            max: 1,
          },
          {
            kind: 'timeseries',
            title: 'Locks by mode',
            description: 'Locks held or awaited in the selected databases, by lock mode.',
            unit: 'short',
            queries: [{ expr: sumBy([lockMode], pg(PG.locks)), legend: `{{${lockMode}}}` }],
            stacked: true,
          },
          {
            kind: 'timeseries',
            title: 'Deadlocks',
            description: 'Deadlocks detected (each aborts one transaction).',
            unit: 'short',
            queries: [{ expr: sumBy([database], increase(pg(PG.deadlocks))), legend: `{{${database}}}` }],
            thresholds: [{ value: 1, color: 'red' }],
          },
          {
            kind: 'timeseries',
            title: 'Longest running transaction by state',
            description:
              'Age of the oldest open transaction per session state: the slow-query signal of postgres-exporter (long "active" = a slow query, long "idle in transaction" = a leaked transaction).',
            unit: 's',
            queries: [{ expr: maxBy([state], pg(PG.activityMaxTxDuration)), legend: `{{${state}}}` }],
            thresholds: [{ value: 5, color: 'red' }],
          },
        ],
      },
      {
        title: 'Client side (pg instrumentation)',
        panels: [
          {
            kind: 'timeseries',
            title: 'Query duration p95 by operation',
            description: `95th percentile duration of the service's database operations (${METRICS.dbClientOperationDuration}), by operation, seen from the client: includes network and pool wait.`,
            unit: 's',
            queries: [
              {
                expr: quantile(0.95, METRICS.dbClientOperationDuration, client, [DB_CLIENT_LABELS.operation]),
                legend: `{{${DB_CLIENT_LABELS.operation}}}`,
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Queries per second by operation',
            description: 'Database operations per second issued by the service, by operation.',
            unit: 'ops',
            queries: [
              {
                expr: sumBy(
                  [DB_CLIENT_LABELS.operation],
                  rate(sel(`${METRICS.dbClientOperationDuration}_count`, ...client)),
                ),
                legend: `{{${DB_CLIENT_LABELS.operation}}}`,
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Pool connections by state vs max',
            description: "The service's pg pool: connections by state (idle, used) against the pool size limit.",
            unit: 'short',
            queries: [
              {
                expr: sumBy([DB_CLIENT_LABELS.connectionState], sel(METRICS.dbClientConnections, ...client)),
                legend: `{{${DB_CLIENT_LABELS.connectionState}}}`,
              },
              { expr: sumBy([], sel(METRICS.dbClientConnectionMax, ...client)), legend: 'max' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Requests waiting for a pool connection',
            description:
              'Queries queued because every pool connection is in use; persistent values mean the pool is too small.',
            unit: 'short',
            queries: [
              { expr: sumBy([], sel(METRICS.dbClientConnectionPendingRequests, ...client)), legend: 'pending' },
            ],
            thresholds: [{ value: 1, color: 'orange' }],
          },
        ],
      },
    ],
  };
}
