import { Histogram, type Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS, HTTP_LABELS, METRICS } from '../names.js';

export type HttpServerDurationHistogram = Histogram<(typeof HTTP_LABELS)[keyof typeof HTTP_LABELS]>;

/**
 * `http_server_request_duration_seconds`: the semantic-convention HTTP server duration histogram, labelled by
 * method, route template and status code, with trace-id exemplars. It lives in prom-client (not the OTel SDK)
 * because prom-client serialises exemplars in OpenMetrics, which the OTel Prometheus exporter does not.
 */
export function createHttpServerDuration(openMetricsRegistry: Registry): HttpServerDurationHistogram {
  return new Histogram({
    name: METRICS.httpServerDuration,
    help: 'Duration of HTTP server requests, by method, route template and status code.',
    labelNames: [HTTP_LABELS.method, HTTP_LABELS.route, HTTP_LABELS.statusCode],
    buckets: [...HTTP_DURATION_BUCKETS],
    enableExemplars: true,
    registers: [openMetricsRegistry],
  });
}
