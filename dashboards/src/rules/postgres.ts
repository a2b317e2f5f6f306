import type { MixinConfig } from '../config.js';
import { POSTGRES_EXPORTER, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, increase, maxBy, rate, sel, sumBy } from '../promql.js';
import { dashboardAlerts } from './alert.js';
import type { RuleGroup } from './types.js';

const { job, instance } = PROMETHEUS_LABELS;
const PG = POSTGRES_EXPORTER.metrics;
const { database: datname, state } = POSTGRES_EXPORTER.labels;

/**
 * Postgres as postgres-exporter sees it: down, connections near what the service may use, and the postgres-mixin
 * alerts that matter to a service's database: deadlocks, rollbacks, cache hit ratio, transactions left idle.
 */
export function postgresRules(config: MixinConfig): RuleGroup {
  const t = config.thresholds;
  const exporter = eq(job, config.jobs.postgresExporter);
  const database = [exporter, eq(datname, config.database)];
  const server = [job, instance];
  const perDatabase = [job, instance, datname];
  const rate5m = (metric: string) => sumBy(perDatabase, rate(sel(metric, ...database), '5m'));
  const transactions = `(${rate5m(PG.xactCommit)} + ${rate5m(PG.xactRollback)})`;
  const busy = `${transactions} > ${t.postgresMinTransactionsPerSecond}`;
  const alert = dashboardAlerts(config, 'postgresql');
  return {
    name: `${config.service}-postgresql`,
    rules: [
      alert({
        alert: 'PostgresDown',
        // the exporter runs but cannot reach its database (the exporter's own absence is PostgresExporterTargetDown)
        expr: `${sel(PG.up, exporter)} == 0`,
        for: '1m',
        severity: 'critical',
        summary: 'PostgreSQL is down or unreachable',
        description: 'postgres-exporter {{ $labels.instance }} has not reached its database for 1 minute.',
      }),
      alert({
        alert: 'PostgresConnectionsNearMax',
        expr: `${sumBy(server, sel(PG.backends, exporter))} / (${maxBy(server, sel(PG.maxConnections, exporter))} - ${maxBy(server, sel(PG.superuserReservedConnections, exporter))}) > ${t.postgresConnectionsRatio}`,
        for: '5m',
        severity: 'warning',
        summary: 'PostgreSQL connections are near the limit',
        description: `{{ $value | humanizePercentage }} of the connections non-superusers may open (max_connections minus superuser_reserved_connections) are in use on {{ $labels.instance }} (alert above ${t.postgresConnectionsRatio * 100}%): new connections will soon be refused.`,
      }),
      alert({
        alert: 'PostgresDeadlocks',
        expr: `${sumBy(perDatabase, increase(sel(PG.deadlocks, ...database), '10m'))} > ${t.postgresDeadlocks}`,
        severity: 'warning',
        summary: `Deadlocks in database ${config.database}`,
        description: `{{ $value | humanize }} deadlocks in the last 10 minutes in {{ $labels.datname }} on {{ $labels.instance }} (alert above ${t.postgresDeadlocks}): transactions are being aborted.`,
      }),
      alert({
        alert: 'PostgresRollbackRatioHigh',
        expr: `${rate5m(PG.xactRollback)} / ${transactions} > ${t.postgresRollbackRatio} and ${busy}`,
        for: '10m',
        severity: 'warning',
        summary: `Many transactions roll back in database ${config.database}`,
        description: `{{ $value | humanizePercentage }} of the transactions in {{ $labels.datname }} on {{ $labels.instance }} roll back (alert above ${t.postgresRollbackRatio * 100}%): failing statements or application errors.`,
      }),
      alert({
        alert: 'PostgresCacheHitRatioLow',
        expr: `${rate5m(PG.blocksHit)} / (${rate5m(PG.blocksHit)} + ${rate5m(PG.blocksRead)}) < ${t.postgresCacheHitRatio} and ${busy}`,
        for: '15m',
        severity: 'warning',
        summary: `Low buffer cache hit ratio in database ${config.database}`,
        description: `Only {{ $value | humanizePercentage }} of the blocks {{ $labels.datname }} on {{ $labels.instance }} reads come from shared buffers (alert below ${t.postgresCacheHitRatio * 100}%): queries wait on disk.`,
      }),
      alert({
        alert: 'PostgresIdleInTransaction',
        expr: `${maxBy(perDatabase, sel(PG.activityMaxTxDuration, ...database, eq(state, POSTGRES_EXPORTER.states.idleInTransaction)))} > ${t.postgresIdleInTransactionSeconds}`,
        for: '2m',
        severity: 'warning',
        summary: `A transaction is left idle in database ${config.database}`,
        description: `A session of {{ $labels.datname }} on {{ $labels.instance }} has been idle in transaction for {{ $value | humanizeDuration }} (alert above ${t.postgresIdleInTransactionSeconds} s): it holds locks and stops vacuum.`,
      }),
    ],
  };
}
