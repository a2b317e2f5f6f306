import { join } from 'node:path';
import { freePort, ManagedProcess, toolBinary } from '@otelkit/native-runtime';
import { COLLECTOR_CONFIG } from './paths.js';

export interface BenchCollectorPorts {
  otlpGrpc: number;
  health: number;
  metrics: number;
}

export async function freeCollectorPorts(): Promise<BenchCollectorPorts> {
  return { otlpGrpc: await freePort(), health: await freePort(), metrics: await freePort() };
}

/** The built otelcol-otelkit with bench/collector.bench.yaml (receives everything, keeps nothing). */
export function benchCollector(ports: BenchCollectorPorts, logDir: string): ManagedProcess {
  return new ManagedProcess({
    name: 'bench-collector',
    command: toolBinary('otelcol-otelkit'),
    args: [`--config=${COLLECTOR_CONFIG}`],
    env: {
      BENCH_COLLECTOR_OTLP_GRPC_PORT: String(ports.otlpGrpc),
      BENCH_COLLECTOR_HEALTH_PORT: String(ports.health),
      BENCH_COLLECTOR_METRICS_PORT: String(ports.metrics),
    },
    logFile: join(logDir, 'collector.log'),
    readyUrl: `http://127.0.0.1:${ports.health}/`,
  });
}

/** Sum of a counter over all its series in a Prometheus text exposition (0 when absent). */
export function counterTotal(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const value = Number(rest.slice(rest.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

const ACCEPTED_SPANS = 'otelcol_receiver_accepted_spans';

/** Spans the collector's OTLP receiver has accepted since it started. */
export async function acceptedSpans(ports: BenchCollectorPorts): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${ports.metrics}/metrics`);
  if (!response.ok) throw new Error(`collector metrics answered ${response.status}`);
  const text = await response.text();
  // the name has no _total suffix in collector v0.159's own telemetry; accept both spellings
  return counterTotal(text, ACCEPTED_SPANS) + counterTotal(text, `${ACCEPTED_SPANS}_total`);
}
