import { DEMO_NAMES } from '@otelkit/node/stack';
import { Counter, Gauge, Registry } from 'prom-client';

export type BreakerState = (typeof DEMO_NAMES.breakerStates)[number];

const M = DEMO_NAMES.metrics;
const L = DEMO_NAMES.labels;

/**
 * The demo's own Prometheus metrics (prom-client), in a registry of their own that otelkit serves on its /metrics
 * (`serveRegistry` in main.ts): the database circuit breaker's state, transitions and rejections, and the responses
 * served degraded.
 */
export class ResilienceMetrics {
  readonly registry = new Registry();
  private readonly state = new Gauge({
    name: M.breakerState,
    help: 'State of the database circuit breaker: 1 for the current state, 0 for the others.',
    labelNames: [L.state],
    registers: [this.registry],
  });
  private readonly transitions = new Counter({
    name: M.breakerTransitions,
    help: 'Transitions of the database circuit breaker, by the state entered.',
    labelNames: [L.state],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: M.breakerRejected,
    help: 'Requests answered at once with 503 because the database circuit breaker was open.',
    registers: [this.registry],
  });
  private readonly degraded = new Counter({
    name: M.degradedResponses,
    help: 'Responses served degraded (from the short-lived cache) while the database failed, by route.',
    labelNames: [L.route],
    registers: [this.registry],
  });

  constructor() {
    this.setState('closed');
    // every series exists from the start, so dashboards and alerts read 0 rather than nothing
    for (const state of DEMO_NAMES.breakerStates) this.transitions.labels(state).inc(0);
    this.rejected.inc(0);
  }

  setState(current: BreakerState): void {
    for (const state of DEMO_NAMES.breakerStates) this.state.labels(state).set(state === current ? 1 : 0);
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
}
