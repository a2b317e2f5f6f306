import type { Metric } from 'prom-client';

/** The exposition formats prom-client writes. */
export type ExpositionFormat = 'openmetrics' | 'text';

type LabelSet = Record<string, unknown>;

/** One sample as prom-client's `get()` / `getForPromString()` hand it out (all metric types, custom ones too). */
interface CollectedValue {
  value: unknown;
  labels?: LabelSet;
  sharedLabels?: LabelSet;
  metricName?: string;
  exemplar?: { labelSet: LabelSet; value: unknown; timestamp?: unknown } | null;
}

interface CollectedMetric {
  name: string;
  help: string;
  type: string;
  values?: CollectedValue[];
}

interface Collectable {
  get(): Promise<CollectedMetric>;
  getForPromString?(): Promise<CollectedMetric>;
}

/**
 * Writes prom-client metrics in text format 0.0.4 or OpenMetrics 1.0 byte for byte as prom-client 15's
 * `Registry.metrics()` does for a registry without default labels (`# EOF` excluded: the caller ends the document),
 * for about 2.5 times less CPU with many series (docs/benchmarks.md, `npm run bench:scrape`): prom-client formats
 * each sample through a spread array, `filter` and `join`, three regular-expression replacements per label value
 * and a WeakMap lookup (and insert) per sample; this writes each sample once and escapes only the values that
 * need it.
 *
 * Unlike `Registry.metrics()` it never renames the metrics: prom-client strips `_total` from a counter's `name`
 * for OpenMetrics in place, so every later text-format scrape served the counter without its `_total`.
 */
export async function serializePromClient(metrics: readonly Metric[], format: ExpositionFormat): Promise<string> {
  // Collected concurrently and in registration order, as prom-client does (collect callbacks run in that order).
  const collected = await Promise.all(
    (metrics as unknown as Collectable[]).map((metric) =>
      typeof metric.getForPromString === 'function' ? metric.getForPromString() : metric.get(),
    ),
  );
  const openMetrics = format === 'openmetrics';
  const families = collected.map((metric) => serializeMetric(metric, openMetrics));
  return `${families.join(openMetrics ? '\n' : '\n\n')}\n`;
}

function serializeMetric(metric: CollectedMetric, openMetrics: boolean): string {
  const counter = metric.type === 'counter';
  const family = escapeString(openMetrics && counter ? metric.name.replace(/_total$/, '') : metric.name);
  const lines = [`# HELP ${family} ${escapeString(metric.help)}`, `# TYPE ${family} ${metric.type}`];
  let lastShared: LabelSet | undefined;
  let lastSharedText = '';
  for (const sample of metric.values || []) {
    let name = sample.metricName === undefined ? family : sample.metricName;
    if (openMetrics && counter) name += '_total';
    const shared = sample.sharedLabels === undefined ? EMPTY : sample.sharedLabels;
    // Histograms hand out their series' labels as the shared labels of every bucket: format them once.
    if (shared !== lastShared) {
      lastShared = shared;
      lastSharedText = formatLabels(shared, undefined);
    }
    const own = formatLabels(sample.labels === undefined ? EMPTY : sample.labels, shared);
    const labels = own === '' ? lastSharedText : lastSharedText === '' ? own : `${own},${lastSharedText}`;
    const line = `${name}${labels === '' ? '' : `{${labels}}`} ${valueText(sample.value)}`;
    const { exemplar } = sample;
    lines.push(
      exemplar && openMetrics
        ? `${line} # {${formatLabels(exemplar.labelSet, undefined)}} ${valueText(exemplar.value)} ${String(exemplar.timestamp)}`
        : line,
    );
  }
  return lines.join('\n');
}

const EMPTY: LabelSet = Object.freeze({});

/** `name="value"` pairs joined by commas, skipping the names in `exclude` (prom-client's formatLabels). */
function formatLabels(labels: LabelSet, exclude: LabelSet | undefined): string {
  let out = '';
  for (const name in labels) {
    if (!Object.hasOwn(labels, name)) continue;
    if (exclude !== undefined && Object.hasOwn(exclude, name)) continue;
    const value = labels[name];
    out += `${out === '' ? '' : ','}${name}="${typeof value === 'string' ? escapeLabelValue(value) : String(value)}"`;
  }
  return out;
}

const HELP_SPECIALS = /[\\\n]/;
const LABEL_SPECIALS = /[\\\n"]/;

function escapeString(text: string): string {
  return HELP_SPECIALS.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

function escapeLabelValue(text: string): string {
  return LABEL_SPECIALS.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : text;
}

/** prom-client's getValueAsString, `Nan` included. */
function valueText(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}`;
  if (Number.isNaN(value)) return 'Nan';
  return (value as number) < 0 ? '-Inf' : '+Inf';
}
