import { DB_CLIENT_LABELS, HTTP_LABELS, METRICS, RUNTIME_LABELS, SDK_LABELS } from '@otelkit/node/names';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import { exporterLabels, exporterMetrics, type MetricSource } from './exporter-metrics.js';
import { SLO_WINDOWS, sloRateRecordName, sloRecordName } from './rules/slo.js';

/** otelkit's histograms: Prometheus exposes each as `_bucket`, `_sum` and `_count` series. */
const HISTOGRAMS: readonly string[] = [
  METRICS.httpServerDuration,
  METRICS.dbClientOperationDuration,
  METRICS.httpClientDuration,
  METRICS.gcDuration,
];

/** Every metric name a query may use: @otelkit/node's METRICS, the exporter manifest and the SLO recordings, by source. */
export function knownMetrics(): Map<string, MetricSource> {
  const known = exporterMetrics();
  for (const name of Object.values(METRICS)) {
    if (HISTOGRAMS.includes(name))
      for (const suffix of ['_bucket', '_sum', '_count']) known.set(name + suffix, 'stack');
    else known.set(name, 'stack');
  }
  for (const name of Object.values(DEMO_NAMES.metrics)) known.set(name, 'stack');
  // the SLO recording rules' series, which the SLO row of the service overview reads
  for (const sli of ['errors', 'slow'] as const) {
    for (const window of SLO_WINDOWS) known.set(sloRecordName(sli, window), 'stack');
    known.set(sloRateRecordName(sli), 'stack');
  }
  known.set(sloRateRecordName('requests'), 'stack');
  return known;
}

/** Every label name a query may use: @otelkit/node's label constants and the exporter manifest. */
export function knownLabels(): Set<string> {
  const labels = exporterLabels();
  for (const group of [HTTP_LABELS, DB_CLIENT_LABELS, RUNTIME_LABELS, SDK_LABELS, DEMO_NAMES.labels]) {
    for (const name of Object.values(group)) labels.add(name);
  }
  return labels;
}
