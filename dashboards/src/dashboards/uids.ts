import type { MixinConfig } from '../config.js';

/** The dashboards of one config, by key; the key is also the generated file's name. */
export const DASHBOARD_KEYS = [
  'service-overview',
  'nodejs-runtime',
  'postgresql',
  'kubernetes-workload',
  'otel-collector',
  'k6-load-test',
] as const;
export type DashboardKey = (typeof DASHBOARD_KEYS)[number];

/** Grafana's limit on dashboard uids. */
const MAX_UID_LENGTH = 40;

/** The uid of each dashboard (stable: links between dashboards and bookmarks rely on it). */
export function dashboardUid(config: MixinConfig, key: DashboardKey): string {
  const uid = `${config.grafana.uidPrefix}-${config.service}-${key}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (uid.length <= MAX_UID_LENGTH) return uid;
  // keep uids unique and within the limit for long service names
  let hash = 0;
  for (const c of uid) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `${uid.slice(0, MAX_UID_LENGTH - 9)}-${hash.toString(36).padStart(8, '0').slice(0, 8)}`;
}
