import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shutdown as shutdownTelemetry } from '@otelkit/node/shutdown';
import type { Logger } from './log.js';
import type { DemoConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { waitForDatabase } from './db/wait-for-database.js';
import { createApp } from './http/app.js';
import type { AppDeps } from './http/route.js';
import { createResilience } from './resilience/resilience.js';

export interface ServeOptions {
  migrate: boolean;
}

/**
 * Starts the API: binds at once (liveness), then waits for the database with capped, jittered retries and applies
 * migrations if asked, meanwhile readiness and data routes answer 503; resolves once it serves.
 * Installs the graceful shutdown: on SIGTERM/SIGINT stop accepting connections, let in-flight
 * requests finish, close idle keep-alive connections, close the pool, flush telemetry, exit 0; past
 * SHUTDOWN_TIMEOUT_MS exit 1 whatever is left. A second signal exits at once.
 */
export async function serve(config: DemoConfig, log: Logger, options: ServeOptions): Promise<Server> {
  const db = createPool(config, log, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  const resilience = await createResilience(config, log);
  const deps: AppDeps = { config, db, log, state: { starting: true, draining: false }, ...resilience };
  const { app } = createApp(deps);
  const server = createServer();
  // Responses of requests in flight when draining starts, and of requests that arrive on open keep-alive
  // connections meanwhile, close their connection (`Connection: close`): clients reconnect to another replica.
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (deps.state.draining) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  server.on('request', app);
  // keep-alive connections must outlive a load balancer's idle timeout (commonly 60 s) to avoid reset races
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Bound first, so liveness answers while the database is awaited; readiness and data routes answer 503 until then.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const starting = new AbortController();

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    starting.abort(new Error(`${signal} during start-up`));
    log.info({ signal }, 'shutting down: draining in-flight requests');
    const deadline = setTimeout(() => {
      log.error({ timeout_ms: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed: exiting');
      server.closeAllConnections();
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();

    deps.state.draining = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // close() stops accepting; connections that are idle now, or become idle after their last response, close too
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    await closed;
    clearInterval(sweeper);
    log.info('http server closed');
    resilience.breaker.shutdown();
    await db.end().catch((error: unknown) => log.warn({ err: error }, 'closing the database pool failed'));
    log.info('stopped');
    await shutdownTelemetry();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  log.info({ host: address, port, waiting_for: 'database' }, 'bound');
  try {
    await waitForDatabase(
      db,
      log,
      { initialMs: config.STARTUP_RETRY_INITIAL_MS, maxMs: config.STARTUP_RETRY_MAX_MS },
      starting.signal,
    );
    if (options.migrate) {
      const migrationPool = createPool(config, log, { statementTimeoutMs: 0, max: 1 });
      try {
        await migrate(migrationPool, log);
      } finally {
        await migrationPool.end();
      }
    }
  } catch (error) {
    if (starting.signal.aborted) return server; // stopped while starting: the shutdown sequence exits
    server.close();
    throw error;
  }
  deps.state.starting = false;
  log.info({ host: address, port }, 'listening');
  return server;
}
