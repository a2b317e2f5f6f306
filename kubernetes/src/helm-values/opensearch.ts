/**
 * helm-values/opensearch.yaml: the trace store for helm-values/jaeger-opensearch.yaml, an OpenSearch cluster from
 * the official chart (opensearch-project/helm-charts `opensearch`): three nodes with every role, the security plugin
 * on (TLS and authentication, the chart's default), the initial admin password from a Secret, the image at
 * OPENSEARCH_VERSION (tools/versions.env), the version the tests run.
 */
import { readToolVersions } from '@otelkit/native-runtime';

/** Secrets the OpenSearch values and the Jaeger-on-OpenSearch values reference (created by you, never inlined). */
export const OPENSEARCH_SECRETS = {
  /** The cluster's initial admin password (the chart's OPENSEARCH_INITIAL_ADMIN_PASSWORD, required since 2.12). */
  admin: {
    name: 'opensearch-admin',
    passwordKey: 'admin-password',
  },
  /** Jaeger's own OpenSearch user (rights on `otelkit-jaeger-*` indices and templates), for Jaeger and the cleaner. */
  jaeger: {
    name: 'jaeger-opensearch',
    usernameKey: 'username',
    passwordKey: 'password',
  },
  /** The CA bundle that signed the cluster's HTTP certificate, to verify it. */
  ca: { name: 'opensearch-ca', key: 'ca.crt' },
} as const;

/** The chart's HTTP port (its default `httpPort`). */
export const OPENSEARCH_HTTP_PORT = 9200;

function openSearchVersion(): string {
  const version = readToolVersions().OPENSEARCH_VERSION;
  if (!version) throw new Error('tools/versions.env has no OPENSEARCH_VERSION');
  return version;
}

export function openSearchValues(): Record<string, unknown> {
  return {
    replicas: 3,
    image: { tag: openSearchVersion() },
    extraEnvs: [
      {
        name: 'OPENSEARCH_INITIAL_ADMIN_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: OPENSEARCH_SECRETS.admin.name, key: OPENSEARCH_SECRETS.admin.passwordKey },
        },
      },
    ],
    // half the container's memory for the heap, the rest for Lucene's file cache
    opensearchJavaOpts: '-Xms1g -Xmx1g',
    resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
    persistence: { enabled: true, size: '50Gi' },
  };
}
