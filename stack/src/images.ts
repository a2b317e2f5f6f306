/**
 * Container images of docker-compose.yml whose versions live here (written to .env). Where we can, the tag is the
 * version the native stack runs and the tests exercise: postgres-exporter 0.11.1 is Debian bookworm's, PostgreSQL
 * 15 is Debian's major. Prometheus, Jaeger, k6 and the collector follow tools/versions.env (compose-env.ts).
 */
export const IMAGES = {
  POSTGRES_IMAGE: 'postgres:15.18-alpine',
  POSTGRES_EXPORTER_IMAGE: 'quay.io/prometheuscommunity/postgres-exporter:v0.11.1',
  GRAFANA_IMAGE: 'grafana/grafana:13.2.0',
} as const;
