import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * UCUM units of OpenTelemetry instruments and the word Prometheus names carry for them, as the OpenTelemetry
 * specification's Prometheus compatibility section (and the collector's Prometheus translator) maps them. The
 * OpenTelemetry JS Prometheus exporter appends `_total` to monotonic sums but no unit, so without this
 * `db.client.operation.duration` (unit `s`) would be served as `db_client_operation_duration`.
 */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

/**
 * The Prometheus unit suffix of a UCUM unit: `s` -> `seconds`, `By/s` -> `bytes_per_second`, `1` -> `ratio` (gauges
 * only), annotations such as `{span}` -> none. Unknown units are kept as written, sanitised.
 */
export function unitSuffix(unit: string, isGauge: boolean): string {
  const withoutAnnotations = unit.replace(/\{[^}]*\}/g, '').trim();
  if (withoutAnnotations === '') return '';
  if (withoutAnnotations === '1') return isGauge ? 'ratio' : '';
  const [numerator = '', denominator] = withoutAnnotations.split('/', 2);
  const word = (u: string) => (UNIT_WORDS[u] ?? u).replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '');
  const perUnit = denominator === undefined ? '' : word(denominator).replace(/s$/, '');
  const main = word(numerator);
  if (perUnit === '') return main;
  return main === '' || main === '1' ? `per_${perUnit}` : `${main}_per_${perUnit}`;
}

/** The instrument name with its unit suffix, unless the name already ends with it (`..._seconds`). */
export function prometheusName(name: string, unit: string, isGauge: boolean): string {
  const suffix = unitSuffix(unit, isGauge);
  if (suffix === '') return name;
  const sanitized = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return sanitized.endsWith(`_${suffix}`) || sanitized === suffix ? name : `${name}_${suffix}`;
}

const isGauge = (metric: MetricData) =>
  metric.dataPointType === DataPointType.GAUGE || (metric.dataPointType === DataPointType.SUM && !metric.isMonotonic);

/**
 * Collected OpenTelemetry metrics renamed to Prometheus conventions before serialisation: the unit as a suffix
 * (`_seconds`, `_bytes`). The serializer adds `_total` to counters itself. The metric data is not copied, only the
 * metric objects whose name changes.
 */
export function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map((metric) => {
        const name = prometheusName(metric.descriptor.name, metric.descriptor.unit, isGauge(metric));
        return name === metric.descriptor.name ? metric : { ...metric, descriptor: { ...metric.descriptor, name } };
      }),
    })),
  };
}
