import { readFileSync } from 'node:fs';
import { COLLECTOR } from '@otelkit/dashboards';
import { CONFIG } from '@otelkit/stack';
import { parse } from 'yaml';

/** The collector's own metrics the fault suite reads: the names the dashboards use (one source of truth). */
export const COLLECTOR_METRICS = {
  /** Batches waiting in an exporter's sending queue, and the queue's capacity (labelled by `exporter`). */
  queueSize: COLLECTOR.metrics.exporterQueueSize,
  queueCapacity: COLLECTOR.metrics.exporterQueueCapacity,
  /** Spans an exporter delivered (labelled by `exporter`). */
  sentSpans: COLLECTOR.metrics.exporterSentSpans,
  /** Spans an exporter failed to send (after retries), and spans refused because its queue was full. */
  sendFailedSpans: COLLECTOR.metrics.exporterSendFailedSpans,
  enqueueFailedSpans: COLLECTOR.metrics.exporterEnqueueFailedSpans,
  processRss: COLLECTOR.metrics.processMemoryRss,
} as const;

/** The name of the exporter towards Jaeger: the OTLP exporter of the traces pipeline in collector/config.local.yaml. */
export function jaegerExporterName(): string {
  const config = parse(readFileSync(CONFIG.collector, 'utf8')) as {
    service: { pipelines: Record<string, { exporters: string[] }> };
  };
  const name = config.service.pipelines.traces?.exporters.find((e) => e.startsWith('otlp'));
  if (name === undefined) throw new Error(`${CONFIG.collector}: no OTLP exporter in the traces pipeline`);
  return name;
}
