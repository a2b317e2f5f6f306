import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentHandle } from './start.js';

/**
 * The `/metrics` handler of the running otelkit, to mount in Express: `app.get('/metrics', metricsHandler())`.
 * Prefer the standalone metrics server (on by default, port 9464) so metrics stay off the public port.
 */
export function metricsHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const handle = currentHandle();
    if (handle === undefined) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('# otelkit is not started\n');
      return;
    }
    handle.metricsHandler(req, res);
  };
}
