/**
 * Container health check (`HEALTHCHECK CMD ["node", "dist/healthcheck.js"]`): slim and distroless images have no
 * curl. Exits 0 when GET /healthz on this container answers 200 within 2 s, 1 otherwise.
 */
import { STACK } from '@otelkit/stack-topology';

const port = Number(process.env.PORT ?? STACK.demo.port);
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
