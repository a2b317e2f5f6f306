import { fileURLToPath } from 'node:url';
import type { Variant } from './results-schema.js';

export interface VariantLaunch {
  /** Node options before demo/dist/main.js. */
  nodeArgs: string[];
  /** Environment on top of the demo's own (stack's demoEnv: database, ports, service name, OTLP endpoint). */
  env: Record<string, string>;
}

/** The sampler environment both instrumented variants get (the OTel spec variables, honoured by both SDKs). */
function samplerEnv(sampling: number): Record<string, string> {
  return { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sampling) };
}

/**
 * How each variant starts, from the same build (demo/dist):
 * - uninstrumented: plain `node`. The demo imports @otelkit/node only for createLogger/traceFields/shutdown; without
 *   `--import @otelkit/node/register` nothing calls start(), so no hook, provider, exporter or metrics server exists
 *   (the harness checks that the metrics port stays closed and the collector receives no span).
 * - upstream: what a user picks instead, `--import @opentelemetry/auto-instrumentations-node/register` with the
 *   upstream defaults (every default-enabled instrumentation, traces + metrics + logs over OTLP) pointed at the same
 *   collector over gRPC.
 * - otelkit: `--import @otelkit/node/register`, as the demo runs in the stack and the Dockerfile.
 */
export function variantLaunch(variant: Variant, sampling: number): VariantLaunch {
  switch (variant) {
    case 'uninstrumented':
      return { nodeArgs: [], env: {} };
    case 'upstream':
      return {
        nodeArgs: ['--import', upstreamRegister()],
        env: {
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          ...samplerEnv(sampling),
        },
      };
    case 'otelkit':
      return { nodeArgs: ['--import', '@otelkit/node/register'], env: samplerEnv(sampling) };
  }
}

/** The upstream register module, resolved from bench's own dependencies (absolute, so the cwd does not matter). */
function upstreamRegister(): string {
  return fileURLToPath(import.meta.resolve('@opentelemetry/auto-instrumentations-node/register'));
}

/** Environment every variant gets: no rate limit (the load is one client), everything else the demo's defaults. */
export const COMMON_DEMO_ENV: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '0' };
