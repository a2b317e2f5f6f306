import { serveRegistry, servesMetrics } from '@otelkit/node/metrics';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import type * as PromClient from 'prom-client';

export type BreakerState = (typeof DEMO_NAMES.breakerStates)[number];

/** What the breaker and the degraded reads record. */
export interface ResilienceMetrics {
  transition(to: BreakerState): void;
  rejectedRequest(): void;
  degradedResponse(route: string): void;
}

/** Records nothing: the demo runs without otelkit, so no /metrics would serve them. */
const NO_METRICS: ResilienceMetrics = {
  transition: () => undefined,
  rejectedRequest: () => undefined,
  degradedResponse: () => undefined,
};

const M = DEMO_NAMES.metrics;
const L = DEMO_NAMES.labels;

/**
 * The demo's own Prometheus metrics (prom-client) in a registry of their own, served on otelkit's /metrics: the
 * database circuit breaker's state, transitions and rejections, and the responses served degraded.
 */
class PromResilienceMetrics implements ResilienceMetrics {
  readonly registry: PromClient.Registry;
  private readonly state: PromClient.Gauge;
  private readonly transitions: PromClient.Counter;
  private readonly rejected: PromClient.Counter;
  private readonly degraded: PromClient.Counter;

  constructor(prom: typeof PromClient) {
    const registers = [(this.registry = new prom.Registry())];
    this.state = new prom.Gauge({
      name: M.breakerState,
      help: 'State of the database circuit breaker: 1 for the current state, 0 for the others.',
      labelNames: [L.state],
      registers,
    });
    this.transitions = new prom.Counter({
      name: M.breakerTransitions,
      help: 'Transitions of the database circuit breaker, by the state entered.',
      labelNames: [L.state],
      registers,
    });
    this.rejected = new prom.Counter({
      name: M.breakerRejected,
      help: 'Requests answered at once with 503 because the database circuit breaker was open.',
      registers,
    });
    this.degraded = new prom.Counter({
      name: M.degradedResponses,
      help: 'Responses served degraded (from the short-lived cache) while the database failed, by route.',
      labelNames: [L.route],
      registers,
    });
    this.setState('closed');
    // every series exists from the start, so dashboards and alerts read 0 rather than nothing
    for (const state of DEMO_NAMES.breakerStates) this.transitions.labels(state).inc(0);
    this.rejected.inc(0);
  }

  transition(to: BreakerState): void {
    this.setState(to);
    this.transitions.labels(to).inc();
  }

  rejectedRequest(): void {
    this.rejected.inc();
  }

  degradedResponse(route: string): void {
    this.degraded.labels(route).inc();
  }

  private setState(current: BreakerState): void {
    for (const state of DEMO_NAMES.breakerStates) this.state.labels(state).set(state === current ? 1 : 0);
  }
}

/**
 * The demo's metrics, served on otelkit's /metrics when otelkit runs; otherwise nothing is recorded and prom-client
 * is not even loaded (it loads @opentelemetry/api, which the benchmark's uninstrumented baseline must not).
 */
export async function createResilienceMetrics(): Promise<ResilienceMetrics> {
  if (!servesMetrics()) return NO_METRICS;
  const metrics = new PromResilienceMetrics(await import('prom-client'));
  serveRegistry(metrics.registry);
  return metrics;
}
