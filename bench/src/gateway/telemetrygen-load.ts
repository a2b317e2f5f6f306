import { execFile } from 'node:child_process';
import { readToolVersions, toolBinary, track } from '@otelkit/native-runtime';

/**
 * The gateway benchmark's default load: telemetrygen (cmd/telemetrygen of opentelemetry-collector-contrib, built by
 * `bash tools/build-go-tools.sh telemetrygen`), which sends OTLP/gRPC protobuf through the OpenTelemetry Go SDK's
 * batch span processor, as an instrumented service does. Two processes run side by side: one for the ordinary traces
 * and one, at `errorShare` of the rate, whose spans all have status ERROR (telemetrygen sets one status on every span
 * of a run), so the gateway's `errors` policy keeps some traces as it does with the Node generator (span-load.ts).
 */

/** The spans of one telemetrygen trace: a root span and `spansPerTrace - 1` children (`--child-spans`). */
export const TELEMETRYGEN_SPANS_PER_TRACE = 5;

/**
 * Spans per second per worker at most. telemetrygen's workers pace themselves with a token bucket of burst 1 (waited
 * on before every span), so a wait that oversleeps is lost rate; more workers at a lower rate each lose less.
 */
const MAX_SPANS_PER_WORKER = 250;

export interface TelemetrygenOptions {
  /** The agent's OTLP gRPC receiver, `127.0.0.1:<port>`. */
  endpoint: string;
  spansPerSecond: number;
  seconds: number;
  /** `--status-code`: Unset for ordinary traces, Error for the failed share. */
  status: 'Unset' | 'Error';
  spansPerTrace?: number;
  /** `--batch-size` of the SDK's batch span processor (default 512, the OpenTelemetry SDKs' default). */
  batchSize?: number;
}

/** telemetrygen's command line for one run (the rate split over enough workers, see MAX_SPANS_PER_WORKER). */
export function telemetrygenArgs(options: TelemetrygenOptions): string[] {
  if (!/^127\.0\.0\.1:\d+$/.test(options.endpoint))
    throw new Error(`the benchmark only loads 127.0.0.1, not ${options.endpoint}`);
  const spansPerTrace = options.spansPerTrace ?? TELEMETRYGEN_SPANS_PER_TRACE;
  if (!Number.isInteger(spansPerTrace) || spansPerTrace < 2)
    throw new Error(`spansPerTrace: an integer of at least 2 (a root and its children), got ${spansPerTrace}`);
  const workers = Math.max(1, Math.ceil(options.spansPerSecond / MAX_SPANS_PER_WORKER));
  const failed = options.status === 'Error';
  return [
    'traces',
    '--otlp-endpoint',
    options.endpoint,
    '--otlp-insecure',
    '--rate',
    String(options.spansPerSecond / workers),
    '--workers',
    String(workers),
    '--duration',
    `${options.seconds}s`,
    '--child-spans',
    String(spansPerTrace - 1),
    '--batch-size',
    String(options.batchSize ?? 512),
    '--status-code',
    options.status,
    '--service',
    'bench-gateway-load',
    // the attributes the gateway's span_metrics dimensions read, as the Node generator sets them
    '--telemetry-attributes',
    'http.request.method="GET"',
    '--telemetry-attributes',
    'http.route="/items/:id"',
    '--telemetry-attributes',
    `http.response.status_code=${failed ? 500 : 200}`,
  ];
}

/** The traces telemetrygen's workers generated: the sum of their `traces generated {"worker": n, "traces": N}` lines. */
export function generatedTraces(output: string): number {
  let traces = 0;
  for (const line of output.split('\n')) {
    if (!line.includes('traces generated')) continue;
    const match = /"traces":\s*(\d+)/.exec(line);
    if (match === null) throw new Error(`unexpected telemetrygen line: ${line}`);
    traces += Number(match[1]);
  }
  return traces;
}

/** Export failures the OpenTelemetry Go SDK reported (its global error handler: `traces export: ...` lines). */
export function exportErrors(output: string): string[] {
  return output.split('\n').filter((line) => line.includes('traces export:'));
}

export interface TelemetrygenOutcome {
  /** Spans generated (traces × spans per trace): what the SDK was handed, so what the agent should accept. */
  sent: number;
  exportErrors: string[];
}

/** One telemetrygen run to its end (it stops by itself after `seconds`, flushing its batch processor). */
function runTelemetrygen(options: TelemetrygenOptions): Promise<TelemetrygenOutcome> {
  const args = telemetrygenArgs(options);
  const spansPerTrace = options.spansPerTrace ?? TELEMETRYGEN_SPANS_PER_TRACE;
  return new Promise((resolve, reject) => {
    const child = execFile(
      toolBinary('telemetrygen'),
      args,
      { timeout: (options.seconds + 60) * 1000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) {
          reject(new Error(`telemetrygen ${args.join(' ')}: ${error.message}\n${output.slice(-2000)}`));
          return;
        }
        resolve({ sent: generatedTraces(output) * spansPerTrace, exportErrors: exportErrors(output) });
      },
    );
    track(child);
  });
}

/** `telemetrygen v0.160.0`: the pinned version (tools/versions.env); the binary prints none. */
export function telemetrygenVersion(): string {
  const version = readToolVersions().TELEMETRYGEN_VERSION;
  if (!version) throw new Error('tools/versions.env has no TELEMETRYGEN_VERSION');
  return version;
}

/**
 * `spansPerSecond` spans into `endpoint` for `seconds`: `errorShare` of them (default 1 in 20 traces) from a second
 * process whose spans have status ERROR. Resolves with the spans generated and the SDK's export errors.
 */
export async function sendSpansWithTelemetrygen(options: {
  endpoint: string;
  spansPerSecond: number;
  seconds: number;
  errorShare?: number;
}): Promise<TelemetrygenOutcome> {
  const errorShare = options.errorShare ?? 1 / 20;
  const runs = await Promise.all([
    runTelemetrygen({ ...options, spansPerSecond: options.spansPerSecond * (1 - errorShare), status: 'Unset' }),
    runTelemetrygen({ ...options, spansPerSecond: options.spansPerSecond * errorShare, status: 'Error' }),
  ]);
  return {
    sent: runs.reduce((sum, r) => sum + r.sent, 0),
    exportErrors: runs.flatMap((r) => r.exportErrors),
  };
}
