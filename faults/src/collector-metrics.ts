/**
 * The collector's own metrics (its Prometheus endpoint, `service.telemetry`) that the fault suite reads, and the
 * name of the exporter towards Jaeger in collector/config.local.yaml.
 */
export const COLLECTOR_METRICS = {
  /** Batches waiting in an exporter's sending queue, and the queue's capacity (labelled by `exporter`). */
  queueSize: 'otelcol_exporter_queue_size',
  queueCapacity: 'otelcol_exporter_queue_capacity',
  /** Spans an exporter failed to send (after retries), and spans refused because its queue was full. */
  sendFailedSpans: 'otelcol_exporter_send_failed_spans',
  enqueueFailedSpans: 'otelcol_exporter_enqueue_failed_spans',
  processRss: 'otelcol_process_memory_rss',
} as const;

export const JAEGER_EXPORTER = 'otlp_grpc/jaeger';
