import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { collectDefaultMetrics, type Metric, Registry, type RegistryContentType } from 'prom-client';
import type { MetricsSerializer } from '../config/types.js';
import { OMITTED_DEFAULT_METRICS } from '../names.js';
import { withUnitSuffixes } from './prometheus-unit-suffix.js';
import { OPENMETRICS_CONTENT_TYPE, prefersOpenMetrics, TEXT_CONTENT_TYPE } from './content-negotiation.js';
import { createHttpServerDuration, type HttpServerDurationHistogram } from './http-server-duration.js';
import { type ExpositionFormat, serializePromClient } from './serialize-prom-client.js';
import { stripEof, textToOpenMetrics } from './to-openmetrics.js';

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * Everything `/metrics` serves, in one place: otelkit's prom-client metrics (HTTP RED with exemplars, runtime),
 * the prom-client registries the service already has, and OpenTelemetry metrics (instrumentations, SDK
 * self-observability) read through the OTel Prometheus exporter. Renders OpenMetrics (with exemplars) when the
 * scraper asks for it, Prometheus text 0.0.4 otherwise.
 */
export class MetricsExposition {
  /** OpenMetrics registry owning otelkit's own prom-client metrics. */
  readonly registry: Registry = newRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
  readonly httpServerDuration: HttpServerDurationHistogram;
  /** Reads the OTel MeterProvider's metrics at scrape time. It never starts its own server. */
  private readonly reader = new PrometheusExporter({ preventServerStart: true });
  private meterProvider: MeterProvider | undefined;
  private readonly otelSerializer = new PrometheusSerializer();
  private readonly serializer: MetricsSerializer;
  private readonly registries: Registry[];
  private readonly warned = new Set<string>();

  constructor(options: {
    runtime: boolean;
    registries?: readonly Registry[];
    serializer?: MetricsSerializer;
    onWarning?: (msg: string) => void;
  }) {
    this.httpServerDuration = createHttpServerDuration(this.registry);
    if (options.runtime) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of OMITTED_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
    }
    this.registries = [...(options.registries ?? [])];
    this.serializer = options.serializer ?? 'otelkit';
    this.onWarning = options.onWarning ?? ((msg) => process.emitWarning(msg, 'OtelkitWarning'));
  }

  private readonly onWarning: (msg: string) => void;

  /** The OpenTelemetry MeterProvider whose metrics this exposition serves (created once). */
  createMeterProvider(resource: Resource, views: ViewOptions[] = []): MeterProvider {
    if (this.meterProvider !== undefined) throw new Error('otelkit: the MeterProvider was already created');
    this.meterProvider = new MeterProvider({ resource, readers: [this.reader], views });
    return this.meterProvider;
  }

  /** Serve a prom-client registry of the service on the same endpoint. */
  addRegistry(registry: Registry): void {
    this.registries.push(registry);
  }

  async render(accept: string | undefined): Promise<RenderedMetrics> {
    const openMetrics = prefersOpenMetrics(accept);
    const format = openMetrics ? 'openmetrics' : 'text';
    const [promText, otelText] = await Promise.all([
      this.serializer === 'prom-client'
        ? serializeWithRegistry(this.promClientMetrics(), format)
        : serializePromClient(this.promClientMetrics(), format),
      this.collectOpenTelemetry(),
    ]);
    if (!openMetrics) {
      // The OTel serializer ends with `# no registered metrics` and no newline when it has nothing but target_info,
      // which promtool rejects ("unexpected end of input stream").
      const otel = otelText === '' || otelText.endsWith('\n') ? otelText : `${otelText}\n`;
      return { contentType: TEXT_CONTENT_TYPE, body: `${promText}\n${otel}` };
    }
    const body = `${promText}${textToOpenMetrics(otelText)}# EOF\n`;
    return { contentType: OPENMETRICS_CONTENT_TYPE, body };
  }

  /** Every prom-client metric served, otelkit's first: a name registered in two registries is served once. */
  private promClientMetrics(): Metric[] {
    const served = new Map<string, Metric>();
    for (const source of [this.registry, ...this.registries]) {
      // prom-client's typings call these MetricObject; at runtime they are the Metric instances.
      for (const metric of source.getMetricsAsArray() as unknown as Metric[]) {
        const { name } = metric as unknown as { name: string };
        if (served.has(name)) {
          this.warnOnce(`otelkit: metric ${name} is registered in two registries; serving the first only`);
          continue;
        }
        served.set(name, metric);
      }
    }
    return [...served.values()];
  }

  /** A `(req, res)` handler: mount it in Express (`app.get('/metrics', handler)`) or any node:http server. */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      this.render(req.headers.accept).then(
        ({ contentType, body }) => {
          res.statusCode = 200;
          res.setHeader('Content-Type', contentType);
          res.setHeader('Cache-Control', 'no-store');
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end(`# otelkit: failed to collect metrics: ${String(error)}\n`);
        },
      );
    };
  }

  async shutdown(): Promise<void> {
    await this.meterProvider?.shutdown();
  }

  /**
   * OpenTelemetry metrics in text format 0.0.4, named by Prometheus conventions (unit suffix, `_total` on counters);
   * '' when otelkit runs disabled, without a MeterProvider.
   */
  private async collectOpenTelemetry(): Promise<string> {
    if (this.meterProvider === undefined) return '';
    const { resourceMetrics, errors } = await this.reader.collect();
    for (const error of errors) this.warnOnce(`otelkit: collecting OpenTelemetry metrics: ${String(error)}`);
    return this.otelSerializer.serialize(withUnitSuffixes(resourceMetrics));
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning(message);
  }
}

/**
 * The upstream path (`OTELKIT_METRICS_SERIALIZER=prom-client`): the metrics in a fresh registry serialised by
 * prom-client's `Registry.metrics()`, without its `# EOF`. It renames counters for OpenMetrics in place (see
 * serialize-prom-client.ts).
 */
async function serializeWithRegistry(metrics: readonly Metric[], format: ExpositionFormat): Promise<string> {
  const registry = newRegistry(
    format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
  );
  for (const metric of metrics) registry.registerMetric(metric);
  const text = await registry.metrics();
  return format === 'openmetrics' ? stripEof(text) : text;
}

/** A registry of the given content type (prom-client's typings omit the constructor argument). */
function newRegistry(contentType: RegistryContentType): Registry {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(contentType);
  return registry as unknown as Registry;
}
