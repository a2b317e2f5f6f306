/**
 * helm-values/jaeger.yaml: Jaeger v2 all-in-one (the chart's `jaeger` component) with in-memory storage, its
 * config given in full (`userconfig`) so it is the one our built Jaeger validates: OTLP in on the standard ports
 * (the agents export there), query API/UI on STACK.jaeger.queryPort, own metrics and health check on the ports of a
 * collector distribution (Jaeger v2 is one, alone in its pod: STACK.collector's metricsPort and healthPort; the native
 * stack moves them to STACK.jaeger's because both run on one host there).
 *
 * helm-values/jaeger-opensearch.yaml, the alternative for traces that outlive a pod and outgrow one machine: the
 * same Jaeger with the `opensearch` storage of @otelkit/stack's trace-store.ts (the one the native e2e test runs
 * against a real OpenSearch) pointing at the cluster of helm-values/opensearch.yaml, over TLS verified with the
 * cluster's CA, as Jaeger's own OpenSearch user whose credentials come from a Secret (the password as a mounted
 * file, re-read when it changes), and the chart's es-index-cleaner CronJob deleting the daily indices older than
 * the retention.
 */
import { STACK } from '@otelkit/stack-topology';
import { indexCleanerArgs, OPENSEARCH_TRACE_STORE, openSearchStorage } from '@otelkit/stack';
import { SERVICES } from '../cluster.js';
import { OPENSEARCH_HTTP_PORT, OPENSEARCH_SECRETS } from './opensearch.js';

/** A `jaeger_storage` backend by name. */
export interface JaegerStorageBackend {
  name: string;
  backend: Record<string, unknown>;
}

/** Jaeger's default storage in jaeger.yaml: in memory, the oldest traces evicted first. */
const MEMORY_STORAGE: JaegerStorageBackend = { name: 'memstore', backend: { memory: { max_traces: 100000 } } };

/** The cluster of helm-values/opensearch.yaml, as Jaeger and the index cleaner reach it. */
export const OPENSEARCH_URL = `https://${SERVICES.opensearch}:${OPENSEARCH_HTTP_PORT}`;

/** Where the Jaeger pod mounts the OpenSearch Secrets (read-only). */
const MOUNTS = { credentials: '/etc/jaeger/opensearch', ca: '/etc/jaeger/opensearch-ca' } as const;

/** The OpenSearch storage of jaeger-opensearch.yaml: three-node cluster, one replica per shard. */
export function openSearchBackend(): JaegerStorageBackend {
  return {
    name: OPENSEARCH_TRACE_STORE.backend,
    backend: openSearchStorage({
      serverUrls: [OPENSEARCH_URL],
      shards: 1,
      replicas: 1,
      basicAuth: {
        username: '${env:OPENSEARCH_USERNAME}',
        passwordFile: `${MOUNTS.credentials}/${OPENSEARCH_SECRETS.jaeger.passwordKey}`,
      },
      caFile: `${MOUNTS.ca}/${OPENSEARCH_SECRETS.ca.key}`,
    }),
  };
}

/** The Jaeger v2 config (an OpenTelemetry Collector config with Jaeger's extensions). */
export function jaegerConfig(storage: JaegerStorageBackend = MEMORY_STORAGE): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: {
        resource: { 'service.name': STACK.jaeger.service },
        metrics: {
          level: 'detailed',
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: STACK.collector.metricsPort } } } }],
        },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${STACK.collector.healthPort}` } },
      jaeger_query: {
        storage: { traces: storage.name },
        http: { endpoint: `0.0.0.0:${STACK.jaeger.queryPort}` },
        grpc: { endpoint: `0.0.0.0:${STACK.jaeger.queryGrpcPort}` },
      },
      jaeger_storage: { backends: { [storage.name]: storage.backend } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${STACK.collector.otlpGrpcPort}` },
          http: { endpoint: `0.0.0.0:${STACK.collector.otlpHttpPort}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: storage.name } },
  };
}

const POD_SECURITY_CONTEXT = { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 } as const;
const SECURITY_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

export function jaegerValues(): Record<string, unknown> {
  return {
    userconfig: jaegerConfig(),
    jaeger: {
      enabled: true,
      replicas: 1,
      podSecurityContext: POD_SECURITY_CONTEXT,
      securityContext: SECURITY_CONTEXT,
    },
  };
}

/** An env var from a key of a Secret. */
const fromSecret = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** jaeger-opensearch.yaml: Jaeger on the OpenSearch cluster of opensearch.yaml, with the index cleaner. */
export function jaegerOpenSearchValues(): Record<string, unknown> {
  const { jaeger: credentials, ca } = OPENSEARCH_SECRETS;
  const [prefixFlag, prefix, days] = indexCleanerArgs(OPENSEARCH_URL);
  return {
    userconfig: jaegerConfig(openSearchBackend()),
    jaeger: {
      enabled: true,
      // stateless now: more replicas share the OTLP load and the queries
      replicas: 2,
      podSecurityContext: POD_SECURITY_CONTEXT,
      securityContext: SECURITY_CONTEXT,
      extraEnv: [fromSecret('OPENSEARCH_USERNAME', credentials.name, credentials.usernameKey)],
      extraVolumes: [
        {
          name: 'opensearch-credentials',
          secret: {
            secretName: credentials.name,
            items: [{ key: credentials.passwordKey, path: credentials.passwordKey }],
          },
        },
        { name: 'opensearch-ca', secret: { secretName: ca.name, items: [{ key: ca.key, path: ca.key }] } },
      ],
      extraVolumeMounts: [
        { name: 'opensearch-credentials', mountPath: MOUNTS.credentials, readOnly: true },
        { name: 'opensearch-ca', mountPath: MOUNTS.ca, readOnly: true },
      ],
    },
    // the chart's es-maintenance jobs read the cluster's URL from here (Jaeger itself from userconfig)
    storage: { type: 'elasticsearch', elasticsearch: { url: OPENSEARCH_URL } },
    esIndexCleaner: {
      enabled: true,
      numberOfDays: Number(days),
      // every night at 00:05 UTC, once the day's index has rolled over
      schedule: '5 0 * * *',
      cmdlineParams: {
        [String(prefixFlag).replace(/^--/, '')]: prefix,
        'es.tls.enabled': true,
        'es.tls.ca': `${MOUNTS.ca}/${ca.key}`,
      },
      extraEnv: [
        fromSecret('ES_USERNAME', credentials.name, credentials.usernameKey),
        fromSecret('ES_PASSWORD', credentials.name, credentials.passwordKey),
      ],
      extraSecretMounts: [
        { name: 'opensearch-ca', secretName: ca.name, mountPath: MOUNTS.ca, subPath: '', readOnly: true },
      ],
      podSecurityContext: POD_SECURITY_CONTEXT,
      securityContext: SECURITY_CONTEXT,
    },
  };
}
