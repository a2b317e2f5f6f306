/**
 * Container images of docker-compose.yml: the one place their versions live (written to .env). Where we can, the
 * tag is the version the native stack runs and the tests exercise: Prometheus 2.42 and postgres-exporter 0.11.1
 * are Debian bookworm's, PostgreSQL 15 is Debian's major. Jaeger, k6 and the collector follow tools/versions.env.
 */
export const IMAGES = {
  POSTGRES_IMAGE: 'postgres:15.18-alpine',
  POSTGRES_EXPORTER_IMAGE: 'quay.io/prometheuscommunity/postgres-exporter:v0.11.1',
  PROMETHEUS_IMAGE: 'prom/prometheus:v2.42.0',
  GRAFANA_IMAGE: 'grafana/grafana:13.2.0',
} as const;
