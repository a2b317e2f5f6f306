import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { METRICS_PATH } from '../names.js';

/**
 * A dedicated HTTP server for `/metrics` on its own port (9464 by default), so metrics are never exposed through
 * the application's public port. Resolves once listening; rejects on listen errors (EADDRINUSE, EACCES).
 */
export function startMetricsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: try ${METRICS_PATH}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    handler(req, res);
  });
  // Scrapes are short; do not let idle keep-alive scrapers hold the process open at shutdown.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });
}

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
