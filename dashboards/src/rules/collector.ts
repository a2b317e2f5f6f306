import type { MixinConfig } from '../config.js';
import { COLLECTOR, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, orZero, rate, sel, sumBy } from '../promql.js';
import { dashboardAlerts } from './alert.js';
import type { RuleGroup } from './types.js';

const { job, instance } = PROMETHEUS_LABELS;
const C = COLLECTOR.metrics;

/**
 * The collector refusing spans (memory limiter), failing to export them, or about to drop them (queue full). The
 * first two are ratios of the traffic, so a busy collector that loses one span in a million does not page.
 */
export function collectorRules(config: MixinConfig): RuleGroup {
  const collector = eq(job, config.jobs.collector);
  const byReceiver = [job, instance, COLLECTOR.labels.receiver];
  const byExporter = [job, instance, COLLECTOR.labels.exporter];
  const limit = config.thresholds.collectorFailureRatio;
  const receiverRate = (metric: string) => sumBy(byReceiver, rate(sel(metric, collector), '5m'));
  const exporterRate = (metric: string) => sumBy(byExporter, rate(sel(metric, collector), '5m'));
  // the failure counters exist only after the first failure: 0 until then
  const dropped = `(${orZero(exporterRate(C.exporterSendFailedSpans), exporterRate(C.exporterSentSpans))} + ${orZero(
    exporterRate(C.exporterEnqueueFailedSpans),
    exporterRate(C.exporterSentSpans),
  )})`;
  const alert = dashboardAlerts(config, 'otel-collector');
  return {
    name: `${config.service}-otel-collector`,
    rules: [
      alert({
        alert: 'OtelCollectorRefusingSpans',
        expr: `${receiverRate(C.receiverRefusedSpans)} / (${receiverRate(C.receiverAcceptedSpans)} + ${receiverRate(C.receiverRefusedSpans)}) > ${limit}`,
        for: '5m',
        severity: 'warning',
        summary: 'The collector is refusing spans',
        description: `Receiver {{ $labels.receiver }} on {{ $labels.instance }} refuses {{ $value | humanizePercentage }} of the spans it receives (alert above ${limit * 100}%; the memory limiter under memory pressure): senders retry or drop them.`,
      }),
      alert({
        alert: 'OtelCollectorDroppingSpans',
        expr: `${dropped} / (${exporterRate(C.exporterSentSpans)} + ${dropped}) > ${limit}`,
        for: '5m',
        severity: 'critical',
        summary: 'The collector is dropping spans',
        description: `Exporter {{ $labels.exporter }} on {{ $labels.instance }} drops {{ $value | humanizePercentage }} of its spans (alert above ${limit * 100}%; export failed after retries, or its queue is full): traces are lost.`,
      }),
      alert({
        alert: 'OtelCollectorQueueNearlyFull',
        expr: `${sumBy(byExporter, sel(C.exporterQueueSize, collector))} / ${sumBy(byExporter, sel(C.exporterQueueCapacity, collector))} > ${config.thresholds.collectorQueueRatio}`,
        for: '5m',
        severity: 'warning',
        summary: "A collector exporter's queue is nearly full",
        description:
          'The sending queue of {{ $labels.exporter }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} full: the backend is slow or down, and data is dropped when it fills.',
      }),
    ],
  };
}
