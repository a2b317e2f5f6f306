/**
 * The trace store on a distributed engine: Jaeger v2's `opensearch` storage, one index per kind and day
 * (`<prefix>-jaeger-span-YYYY-MM-DD`, `-service-`, ...), index templates created by Jaeger at start-up
 * (`create_mappings`), and a retention job, Jaeger's es-index-cleaner, that deletes the daily indices older than
 * `retentionDays`. One definition for the native e2e test (stack/test/opensearch.e2e.test.ts) and the Kubernetes
 * values (kubernetes/src/helm-values/jaeger.ts).
 */
export const OPENSEARCH_TRACE_STORE = {
  /** The storage backend's name in Jaeger's config (`jaeger_storage.backends.<name>`). */
  backend: 'opensearch',
  /** Index names start with `<indexPrefix>-jaeger-`. */
  indexPrefix: 'otelkit',
  /** Days of traces kept: the index cleaner deletes the daily indices created before the last N days. */
  retentionDays: 7,
  /** The layout of the date in index names (Go's reference time): the cleaner matches `\d{4}-\d{2}-\d{2}`. */
  dateLayout: '2006-01-02',
} as const;

export interface OpenSearchStorageOptions {
  serverUrls: string[];
  /** Primary shards per daily index (Jaeger's default: 5; one is plenty below ~30 GB a day). */
  shards: number;
  /** Replicas per shard: 0 on a single node (else its indices stay yellow), 1 or more in a cluster. */
  replicas: number;
  /** Basic auth with the password read from a file (a mounted Secret; Jaeger re-reads it when it changes). */
  basicAuth?: { username: string; passwordFile: string };
  /** A CA bundle file to verify the cluster's TLS certificate. */
  caFile?: string;
}

/** `jaeger_storage.backends.<backend>`: Jaeger v2's `opensearch` storage with the kit's indices. */
export function openSearchStorage(options: OpenSearchStorageOptions): Record<string, unknown> {
  const daily = {
    date_layout: OPENSEARCH_TRACE_STORE.dateLayout,
    rollover_frequency: 'day',
    shards: options.shards,
    replicas: options.replicas,
  };
  return {
    opensearch: {
      server_urls: options.serverUrls,
      // Jaeger creates (or updates) its index templates at start-up, so every new daily index gets the mappings
      create_mappings: true,
      indices: {
        index_prefix: OPENSEARCH_TRACE_STORE.indexPrefix,
        spans: daily,
        services: daily,
        dependencies: daily,
        sampling: daily,
      },
      ...(options.basicAuth === undefined
        ? {}
        : { auth: { basic: { username: options.basicAuth.username, password_file: options.basicAuth.passwordFile } } }),
      ...(options.caFile === undefined ? {} : { tls: { ca_file: options.caFile } }),
    },
  };
}

/**
 * The arguments of Jaeger's es-index-cleaner for the kit's indices: `--index-prefix <prefix> <days> <url>` deletes
 * the `<prefix>-jaeger-{span,service,dependencies,sampling}-YYYY-MM-DD` indices whose creation date is before
 * midnight UTC (tomorrow) minus `days` days.
 */
export function indexCleanerArgs(url: string, days: number = OPENSEARCH_TRACE_STORE.retentionDays): string[] {
  return ['--index-prefix', OPENSEARCH_TRACE_STORE.indexPrefix, String(days), url];
}

/** A daily index name of the store: `<prefix>-jaeger-<kind>-YYYY-MM-DD` for the UTC day of `date`. */
export function dailyIndex(kind: 'span' | 'service' | 'dependencies' | 'sampling', date: Date): string {
  return `${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-${kind}-${date.toISOString().slice(0, 10)}`;
}
