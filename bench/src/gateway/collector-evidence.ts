import { sampleLines, valueOf } from '@otelkit/testkit';

/**
 * What the collectors themselves say happened during a step of the gateway benchmark, kept in its raw results: the
 * change of their own pipeline counters, and their warnings and errors, so that a step that delivered spans twice or
 * refused some carries the evidence of why.
 */

/**
 * The collector's pipeline counters: receiver, exporter, processor and load-balancer `otelcol_*_total` series, and
 * the load balancer's per-gateway latency histogram (milliseconds per export to a gateway, timeouts included).
 */
const PIPELINE_COUNTER =
  /^otelcol_((receiver|exporter|processor|loadbalancer)_\w*_total|loadbalancer_backend_latency(_milliseconds)?_(bucket|sum|count))$/;

/** Every pipeline counter series of a /metrics body, by its name and labels (`name{labels}`). */
export function pipelineCounters(body: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of sampleLines(body)) {
    const series = line.slice(0, line.lastIndexOf(' '));
    const name = series.split('{')[0] ?? '';
    if (PIPELINE_COUNTER.test(name)) counters.set(series, valueOf(line));
  }
  return counters;
}

/** The series that changed between two scrapes, and by how much (a series new in `after` counts from 0). */
export function counterChanges(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const [series, value] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    const delta = value - (before.get(series) ?? 0);
    if (delta !== 0) changes[series] = delta;
  }
  return changes;
}

/** The sum of the changes of one counter (all its series, or those whose labels contain `labels`). */
export function changeOf(changes: Record<string, number>, name: string, labels = ''): number {
  return Object.entries(changes)
    .filter(([series]) => (series === name || series.startsWith(`${name}{`)) && series.includes(labels))
    .reduce((sum, [, delta]) => sum + delta, 0);
}

/**
 * The collector's warnings and errors in a stretch of its log (console encoding: time, level, caller, message,
 * JSON fields, tab-separated), counted by level, message and `error` field; with the info lines about failures
 * (the exporter helper logs "Exporting failed. Will retry the request after interval." at info).
 */
export function logProblems(log: string): Record<string, number> {
  const problems: Record<string, number> = {};
  for (const line of log.split('\n')) {
    const [, level, , message, fields] = line.split('\t');
    if (level !== 'warn' && level !== 'error' && !(level === 'info' && /fail|refus/i.test(message ?? ''))) continue;
    let error = '';
    try {
      const parsed = JSON.parse(fields ?? '{}') as { error?: unknown };
      if (typeof parsed.error === 'string') error = `: ${parsed.error}`;
    } catch {
      // fields that are not JSON: the message alone
    }
    const key = `${level} ${message ?? ''}${error}`.slice(0, 300);
    problems[key] = (problems[key] ?? 0) + 1;
  }
  return problems;
}
