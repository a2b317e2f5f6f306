import { HTTP_DURATION_BUCKETS } from '@otelkit/node/names';
import { CLUSTER, DATASOURCE_UIDS, JOBS, STACK } from '@otelkit/stack-topology';

/**
 * Everything the dashboards and rules are parameterised by, the way a monitoring mixin's `_config` is: users
 * override this object, never the generated output.
 */
export interface MixinConfig {
  /** Service name, used in titles, uids and rule names (e.g. `checkout`). */
  service: string;
  /** Prometheus job names the queries select on. */
  jobs: {
    /** The service's own `/metrics` (the @otelkit/node metrics server). */
    service: string;
    collector: string;
    postgresExporter: string;
  };
  /** Grafana datasource uids (fixed, provisioned: never `${DS_...}` inputs). */
  datasources: { prometheus: string; jaeger: string };
  /**
   * Jaeger's web UI as the browser reaches it (`http://...`, no trailing slash): the slow routes of the service
   * overview link to its trace search.
   */
  jaegerUrl: string;
  /** Kubernetes namespace of the service's pods (Kubernetes dashboard and pod-restart alert). */
  namespace: string;
  /** Pod name regex of the service's workload in that namespace (kube-state-metrics and cAdvisor `pod` label). */
  podRegex: string;
  /** The Postgres database the service uses (postgres-exporter `datname`). */
  database: string;
  /** The k6 dashboard: the default `testid` tag, and the thresholds drawn on its panels (loadtest's thresholds). */
  loadTest: {
    testId: string;
    p95Seconds: number;
    p99Seconds: number;
    /** Highest acceptable share of failed requests (k6 `http_req_failed`). */
    failedRate: number;
    /** Lowest acceptable share of passed checks. */
    checksRate: number;
  };
  slo: {
    /** Availability objective: the share of requests answered without a 5xx, e.g. 0.999. */
    availability: number;
    /** Latency objective: the share of requests faster than `latencyThresholdSeconds`, e.g. 0.99. */
    latency: number;
    /** Must be a bucket boundary of the duration histogram (HTTP_DURATION_BUCKETS). */
    latencyThresholdSeconds: number;
    /**
     * Minimum traffic (requests per second over the alert's short window) below which the burn-rate alerts stay
     * silent: one failed request in a quiet hour is not a page.
     */
    minRequestsPerSecond: number;
  };
  thresholds: {
    /** Share of max_connections in use above which Postgres alerts (0..1). */
    postgresConnectionsRatio: number;
    /** Container restarts within 15 minutes that raise the pod-restart alert. */
    podRestarts: number;
    /** Event-loop p99 lag drawn red on the runtime dashboard (seconds). */
    eventLoopLagSeconds: number;
    /** Collector exporter queue fill ratio that alerts (0..1). */
    collectorQueueRatio: number;
    /** Share of spans a collector receiver refuses, or an exporter drops, that alerts (0..1). */
    collectorFailureRatio: number;
    /** Deadlocks within 10 minutes in the service's database that alert. */
    postgresDeadlocks: number;
    /** Share of transactions rolled back that alerts (0..1). */
    postgresRollbackRatio: number;
    /** Buffer cache hit ratio below which Postgres alerts (0..1). */
    postgresCacheHitRatio: number;
    /** Age (seconds) of the oldest transaction left idle in transaction that alerts. */
    postgresIdleInTransactionSeconds: number;
    /** Transactions per second below which the rollback and cache ratios do not alert (too few to mean much). */
    postgresMinTransactionsPerSecond: number;
    /** Share of the container's memory limit in use that alerts (0..1). */
    memoryLimitRatio: number;
  };
  /**
   * Grafana folder/tags and dashboard uid prefix; `url` is the Grafana that people open, without a trailing slash:
   * the alerts' `dashboard` annotations are absolute links into it (`<url>/d/<uid>`), clickable in a notification.
   */
  grafana: { uidPrefix: string; tags: string[]; url: string };
  /**
   * Where the runbooks (docs/runbooks/<AlertName>.md of this repository, or your copy of them) are published,
   * without a trailing slash: every alert's `runbook_url` is `<runbookBaseUrl>/<AlertName>.md`.
   */
  runbookBaseUrl: string;
  kubernetes: {
    /** Namespace of the generated ConfigMaps and PrometheusRule (where kube-prometheus-stack runs). */
    monitoringNamespace: string;
    /**
     * Labels of the generated PrometheusRule: what the Prometheus of kube-prometheus-stack selects rules by
     * (helm-values/kube-prometheus-stack.yaml's ruleSelector, the same whatever the release names).
     */
    ruleLabels: Record<string, string>;
  };
}

/** Where this repository's docs/runbooks folder is published (the default `runbookBaseUrl`). */
export const RUNBOOK_BASE_URL = 'https://github.com/otelkit/otelkit/blob/main/docs/runbooks';

/** The reference stack's config: the demo service in compose, the native stack and the Helm values. */
export const defaultConfig: MixinConfig = {
  service: STACK.demo.service,
  jobs: { service: JOBS.demo, collector: JOBS.collector, postgresExporter: JOBS.postgresExporter },
  datasources: { prometheus: DATASOURCE_UIDS.prometheus, jaeger: DATASOURCE_UIDS.jaeger },
  // compose publishes the query port on the host; in Kubernetes, `kubectl port-forward svc/jaeger 16686`
  jaegerUrl: `http://localhost:${STACK.jaeger.queryPort}`,
  namespace: CLUSTER.demoNamespace,
  // Deployment pods (<deployment>-<pod-template-hash>-<suffix>), not the chart's Postgres or k6 pods; the chart's
  // Deployment is named after its release, the demo's service name
  podRegex: `${STACK.demo.service}-[a-z0-9]{8,10}-[a-z0-9]{5}`,
  database: STACK.postgres.database,
  loadTest: { testId: 'e2e', p95Seconds: 0.5, p99Seconds: 1.5, failedRate: 0.01, checksRate: 0.99 },
  slo: { availability: 0.999, latency: 0.99, latencyThresholdSeconds: 0.5, minRequestsPerSecond: 0.1 },
  thresholds: {
    postgresConnectionsRatio: 0.8,
    podRestarts: 3,
    eventLoopLagSeconds: 0.1,
    collectorQueueRatio: 0.8,
    collectorFailureRatio: 0.01,
    postgresDeadlocks: 5,
    postgresRollbackRatio: 0.1,
    postgresCacheHitRatio: 0.9,
    postgresIdleInTransactionSeconds: 300,
    postgresMinTransactionsPerSecond: 0.1,
    memoryLimitRatio: 0.9,
  },
  // the Grafana of docker-compose.yml (published on 127.0.0.1)
  grafana: { uidPrefix: 'otelkit', tags: ['otelkit'], url: `http://127.0.0.1:${STACK.grafana.port}` },
  runbookBaseUrl: RUNBOOK_BASE_URL,
  kubernetes: { monitoringNamespace: CLUSTER.observabilityNamespace, ruleLabels: CLUSTER.prometheusSelectorLabels },
};

/** A partial config, one level deep for the nested objects. */
export type ConfigOverrides = {
  [K in keyof MixinConfig]?: MixinConfig[K] extends string | number | string[]
    ? MixinConfig[K]
    : Partial<MixinConfig[K]>;
};

/** The default config with `overrides` applied (nested objects merged), validated. */
export function withOverrides(overrides: ConfigOverrides = {}): MixinConfig {
  const merged = { ...defaultConfig } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = (defaultConfig as unknown as Record<string, unknown>)[key];
    if (base === undefined) throw new Error(`unknown config key "${key}"`);
    merged[key] =
      typeof base === 'object' && !Array.isArray(base) ? { ...(base as object), ...(value as object) } : value;
  }
  const config = merged as unknown as MixinConfig;
  validateConfig(config);
  return config;
}

/** Throws a clear error for a config that would generate broken queries. */
export function validateConfig(config: MixinConfig): void {
  const problems: string[] = [];
  const ratio = (name: string, value: number) => {
    if (!(value > 0 && value < 1)) problems.push(`${name} must be between 0 and 1 (exclusive), got ${value}`);
  };
  ratio('slo.availability', config.slo.availability);
  ratio('slo.latency', config.slo.latency);
  ratio('thresholds.postgresConnectionsRatio', config.thresholds.postgresConnectionsRatio);
  ratio('thresholds.collectorQueueRatio', config.thresholds.collectorQueueRatio);
  ratio('thresholds.collectorFailureRatio', config.thresholds.collectorFailureRatio);
  ratio('thresholds.postgresRollbackRatio', config.thresholds.postgresRollbackRatio);
  ratio('thresholds.postgresCacheHitRatio', config.thresholds.postgresCacheHitRatio);
  ratio('thresholds.memoryLimitRatio', config.thresholds.memoryLimitRatio);
  for (const [name, value] of Object.entries({
    'slo.minRequestsPerSecond': config.slo.minRequestsPerSecond,
    'thresholds.postgresDeadlocks': config.thresholds.postgresDeadlocks,
    'thresholds.postgresIdleInTransactionSeconds': config.thresholds.postgresIdleInTransactionSeconds,
    'thresholds.postgresMinTransactionsPerSecond': config.thresholds.postgresMinTransactionsPerSecond,
  })) {
    if (!(Number.isFinite(value) && value >= 0)) problems.push(`${name} must be a number >= 0, got ${value}`);
  }
  for (const [name, value] of Object.entries({
    'grafana.url': config.grafana.url,
    runbookBaseUrl: config.runbookBaseUrl,
  })) {
    if (!/^https?:\/\/[^\s"\\]+[^/\s"\\]$/.test(value ?? ''))
      problems.push(`${name} must be an absolute http(s) URL without a trailing slash, got "${value}"`);
  }
  ratio('loadTest.failedRate', config.loadTest.failedRate);
  ratio('loadTest.checksRate', config.loadTest.checksRate);
  if (!HTTP_DURATION_BUCKETS.includes(config.slo.latencyThresholdSeconds)) {
    problems.push(
      `slo.latencyThresholdSeconds must be a histogram bucket boundary (${HTTP_DURATION_BUCKETS.join(', ')}), got ${config.slo.latencyThresholdSeconds}`,
    );
  }
  for (const [name, value] of Object.entries({
    service: config.service,
    ...Object.fromEntries(Object.entries(config.jobs).map(([k, v]) => [`jobs.${k}`, v])),
    namespace: config.namespace,
    database: config.database,
    'grafana.uidPrefix': config.grafana.uidPrefix,
    ...Object.fromEntries(
      Object.entries(config.kubernetes.ruleLabels).map(([k, v]) => [`kubernetes.ruleLabels.${k}`, v]),
    ),
    'loadTest.testId': config.loadTest.testId,
  })) {
    if (typeof value !== 'string' || value === '') problems.push(`${name} must be a non-empty string`);
    else if (/["\\\n]/.test(value)) problems.push(`${name} must not contain quotes, backslashes or newlines`);
  }
  if (!/^https?:\/\/[^\s"'\\]+[^/\s"'\\]$/.test(config.jaegerUrl)) {
    problems.push(`jaegerUrl must be an http(s) URL without a trailing slash, got ${JSON.stringify(config.jaegerUrl)}`);
  }
  if (!/^[a-z0-9-]+$/.test(config.grafana.uidPrefix)) problems.push('grafana.uidPrefix must match [a-z0-9-]+');
  if (problems.length > 0) throw new Error(`invalid dashboards config:\n  ${problems.join('\n  ')}`);
}
