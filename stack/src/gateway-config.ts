import { readFileSync } from 'node:fs';
import { defaultConfig, type MixinConfig } from '@otelkit/dashboards';
import { parse, stringify } from 'yaml';
import { CONFIG } from './paths.js';

/** The tail-sampling policies' knobs; the latency threshold is the SLO's, never a second number. */
export interface GatewaySampling {
  /** Traces slower than this are all kept: the latency SLO's threshold (dashboards' `slo.latencyThresholdSeconds`). */
  latencyThresholdMs: number;
  /** Default share (percent) of the other traces kept; `OTELCOL_TAIL_BASELINE_PERCENT` overrides it at run time. */
  baselinePercent: number;
}

/** The sampling of the reference stack: the dashboards' SLO threshold, 10% of the rest. */
export function gatewaySampling(config: MixinConfig = defaultConfig): GatewaySampling {
  return { latencyThresholdMs: Math.round(config.slo.latencyThresholdSeconds * 1000), baselinePercent: 10 };
}

/** The persistent sending queues' storage extension id (file_storage), shared by the gateway and the agent. */
export const QUEUE_STORAGE = 'file_storage/queue';

/**
 * The file_storage extension both tiers keep their sending queues in: one folder per collector
 * (`OTELCOL_QUEUE_DIR`), fsync'ed on every write so that what the collector acknowledged is on disk.
 */
export function queueStorageExtension(): Record<string, unknown> {
  return {
    directory: '${env:OTELCOL_QUEUE_DIR:-/var/lib/otelcol/queue}',
    create_directory: true,
    fsync: true,
    // reclaim the space of delivered batches once the queue has drained, at start-up too
    compaction: { on_start: true, on_rebound: true, directory: '${env:OTELCOL_QUEUE_DIR:-/var/lib/otelcol/queue}' },
  };
}

type Yaml = Record<string, any>;

/**
 * collector/config.gateway.yaml: the gateway tier. The agents' `load_balancing` exporter sends every span of a trace
 * to the same gateway (routing by trace id), so each gateway sees whole traces and can sample them by their tail.
 * The parts it shares with the local collector (OTLP receiver, memory_limiter, span_metrics, remote write, its own
 * telemetry) are taken from collector/config.local.yaml, so both compute RED metrics the same way.
 */
export function gatewayConfig(sampling: GatewaySampling = gatewaySampling()): Yaml {
  const local = parse(readFileSync(CONFIG.collector, 'utf8')) as Yaml;
  const queue = {
    enabled: true,
    storage: QUEUE_STORAGE,
    sizer: 'items',
    // spans; about 1 KiB each on disk: 200,000 spans ride out ~100 s of a Jaeger outage at 2,000 spans/s per gateway
    queue_size: '${env:OTELCOL_QUEUE_SPANS:-200000}',
    // batching in the queue (after the disk), not in a batch processor (memory that a SIGKILL would lose)
    batch: { flush_timeout: '1s', min_size: 1024, max_size: 2048 },
  };
  return {
    extensions: {
      health_check: local.extensions.health_check,
      [QUEUE_STORAGE]: queueStorageExtension(),
    },
    receivers: { otlp: local.receivers.otlp },
    processors: {
      memory_limiter: local.processors.memory_limiter,
      // only in the span-metrics pipeline (the traces are batched in the queue on disk)
      batch: local.processors.batch,
      tail_sampling: {
        // A trace is decided this long after its first span arrived: longer than the slowest request worth keeping.
        decision_wait: '${env:OTELCOL_TAIL_DECISION_WAIT:-10s}',
        num_traces: 100_000,
        expected_new_traces_per_sec: 1_000,
        // Spans that arrive after the decision follow it (kept traces stay complete, dropped ones stay dropped).
        decision_cache: { sampled_cache_size: 1_000_000, non_sampled_cache_size: 1_000_000 },
        // Any policy that matches keeps the trace.
        policies: [
          { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
          { name: 'slower-than-slo', type: 'latency', latency: { threshold_ms: sampling.latencyThresholdMs } },
          {
            name: 'baseline',
            type: 'probabilistic',
            probabilistic: {
              sampling_percentage: `\${env:OTELCOL_TAIL_BASELINE_PERCENT:-${sampling.baselinePercent}}`,
            },
          },
        ],
      },
    },
    connectors: { span_metrics: local.connectors.span_metrics },
    exporters: {
      'otlp_grpc/jaeger': {
        endpoint: '${env:JAEGER_OTLP_ENDPOINT:-jaeger:4317}',
        tls: { insecure: true },
        sending_queue: queue,
        // retried until delivered: the queue on disk, not the retry budget, bounds what waits for Jaeger
        retry_on_failure: { enabled: true, max_elapsed_time: 0 },
      },
      prometheus_remote_write: {
        ...local.exporters.prometheus_remote_write,
        // Each gateway writes the span metrics of the traces routed to it: its own label keeps the series apart
        // (sum without(otelcol_gateway) gives the service's totals).
        external_labels: { otelcol_gateway: '${env:OTELCOL_GATEWAY_ID:-gateway}' },
      },
    },
    service: {
      extensions: ['health_check', QUEUE_STORAGE],
      telemetry: { ...local.service.telemetry, resource: { 'service.name': 'otel-gateway' } },
      pipelines: {
        // Every span, before sampling: the RED metrics count all requests, not the sampled ones.
        'traces/red': { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['span_metrics'] },
        'traces/sampled': {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'tail_sampling'],
          exporters: ['otlp_grpc/jaeger'],
        },
        'metrics/span_metrics': {
          receivers: ['span_metrics'],
          processors: ['memory_limiter', 'batch'],
          exporters: ['prometheus_remote_write'],
        },
      },
    },
  };
}

const HEADER = `# Generated by \`npm run generate\` from stack/src/gateway-config.ts. Do not edit by hand.
#
# The gateway collector tier (collector/README.md, docs/scaling.md). Agents send here with the load_balancing
# exporter routed by trace id, so one gateway sees all the spans of a trace:
#
#   OTLP in -> traces/red:     memory_limiter -> span_metrics (every span, before sampling: exact RED metrics)
#                              -> metrics/span_metrics -> Prometheus remote write (one series set per gateway)
#           -> traces/sampled: memory_limiter -> tail_sampling -> Jaeger, through a sending queue on disk
#
# Tail sampling keeps every trace with an error span, every trace slower than the latency SLO's threshold
# (dashboards' slo.latencyThresholdSeconds, the value the burn-rate alerts use) and a probabilistic share of the
# rest. Traces wait in memory for decision_wait before they are decided: a gateway killed with SIGKILL loses those
# (counted on the agents as spans sent to it, and on the gateways as otelcol_processor_tail_sampling_*); what it has
# decided and queued for Jaeger is on disk (file_storage) and is sent after its restart.
#
# Variables: the OTELCOL_* / JAEGER_* ports and addresses as in config.local.yaml; OTELCOL_GATEWAY_ID (a label that
# tells the gateways' span metrics apart: the pod name), OTELCOL_QUEUE_DIR, OTELCOL_QUEUE_SPANS,
# OTELCOL_TAIL_DECISION_WAIT, OTELCOL_TAIL_BASELINE_PERCENT.
`;

/** The file's text. */
export function gatewayConfigYaml(): string {
  return `${HEADER}${stringify(gatewayConfig(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
