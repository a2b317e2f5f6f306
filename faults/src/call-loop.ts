import type { Agent } from 'node:http';
import { type Call, call } from './http-call.js';

/**
 * One test-side client calling `GET pathOf(n)` (n = 0, 1, 2...) in a loop, `pauseMs` apart, every answer recorded,
 * until stopped: a readiness poll, or a reader that sees what a fault does to one route.
 */
export function callLoop(
  baseUrl: string,
  pathOf: (n: number) => string,
  options: { agent: Agent; pauseMs: number; timeoutMs?: number },
) {
  const calls: Call[] = [];
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      calls.push(await call(baseUrl, 'GET', pathOf(n), { agent: options.agent, timeoutMs: options.timeoutMs }));
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  })();
  return {
    calls,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
