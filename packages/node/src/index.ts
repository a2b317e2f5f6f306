import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentHandle } from './start.js';

export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { resolveConfig } from './config/resolve-config.js';
export type { StartOptions } from './config/start-options.js';
export type { OtelkitConfig } from './config/types.js';
export { createLogger, traceFields } from './logger.js';
export * from './names.js';
export { shutdown } from './shutdown.js';
export { currentHandle, type OtelkitHandle, start } from './start.js';

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
