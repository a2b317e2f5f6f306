import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface LatencyProxyOptions {
  /** Port of the upstream on 127.0.0.1 (e.g. a PostgresInstance's). */
  upstreamPort: number;
  /** Delay added to every chunk in each direction (ms); `setLatency` changes it at any time. */
  latencyMs?: number;
  /** Connections accepted at once; more are refused (closed at once). */
  maxConnections?: number;
  /** Bytes held back per direction of a connection before its sender is paused until they are delivered. */
  maxBufferedBytes?: number;
}

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk by a settable latency, in both directions, in order: a slow
 * network or a slow database as the client sees it, with the real server behind it. Bounded: at most
 * `maxConnections` connections, and a sender is paused while `maxBufferedBytes` of its data wait for delivery.
 */
export class LatencyProxy {
  private latency: number;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    latencyMs: number,
  ) {
    this.latency = latencyMs;
  }

  static async start(options: LatencyProxyOptions): Promise<LatencyProxy> {
    const maxConnections = options.maxConnections ?? 256;
    const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    let proxy: LatencyProxy | undefined;
    const server = createServer((client) => {
      if (proxy === undefined || proxy.sockets.size / 2 >= maxConnections) {
        client.destroy();
        return;
      }
      proxy.connect(client, options.upstreamPort, maxBuffered);
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('the latency proxy has no port'));
      });
    });
    proxy = new LatencyProxy(server, port, options.latencyMs ?? 0);
    return proxy;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** Changes the delay of every chunk from now on (chunks already waiting keep theirs; order is kept). */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number of ms, got ${ms}`);
    this.latency = ms;
  }

  /** Connections open through the proxy. */
  get connections(): number {
    return this.sockets.size / 2;
  }

  /** Stops accepting and closes every proxied connection. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: Socket, upstreamPort: number, maxBuffered: number): void {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined); // the close below tears the pair down
      socket.once('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.forward(client, upstream, maxBuffered);
    this.forward(upstream, client, maxBuffered);
  }

  /** Delivers `from`'s chunks to `to` in order, each `latency` ms after it arrived (one FIFO queue, one timer). */
  private forward(from: Socket, to: Socket, maxBuffered: number): void {
    const queue: Array<{ chunk: Buffer; due: number }> = [];
    let buffered = 0;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const pump = () => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && (queue[0] as { due: number }).due <= now) {
        const { chunk } = queue.shift() as { chunk: Buffer };
        buffered -= chunk.length;
        if (!to.destroyed) to.write(chunk);
      }
      if (buffered <= maxBuffered && from.isPaused() && !from.destroyed) from.resume();
      if (queue.length > 0) timer = setTimeout(pump, (queue[0] as { due: number }).due - now);
      else if (ended && !to.destroyed) to.end();
    };
    from.on('data', (chunk: Buffer) => {
      queue.push({ chunk, due: Date.now() + this.latency });
      buffered += chunk.length;
      if (buffered > maxBuffered) from.pause();
      if (timer === undefined) pump();
    });
    // the end of the stream comes after its last chunk
    from.once('end', () => {
      ended = true;
      if (timer === undefined) pump();
    });
    from.once('close', () => clearTimeout(timer));
  }
}
