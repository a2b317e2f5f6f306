import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A Service's data path as kube-proxy gives it, in the test: a TCP listener that sends each new connection to the
 * next of its current endpoints (round robin), and leaves established connections where they are when the endpoint
 * list changes (conntrack keeps them). `setEndpoints` plays the endpoint controller's update, so a test decides when
 * a terminating pod stops receiving new connections, independently of when the pod gets SIGTERM.
 */
export class EndpointProxy {
  private endpoints: number[] = [];
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** New connections sent to each endpoint port, and those whose endpoint refused them. */
  readonly routed = new Map<number, number>();
  refused = 0;

  private constructor(private readonly server: Server) {}

  static async start(endpoints: number[]): Promise<EndpointProxy> {
    const proxy: EndpointProxy = new EndpointProxy(createServer((client) => proxy.route(client)));
    proxy.setEndpoints(endpoints);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the endpoint proxy is not listening');
    return address.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replaces the endpoints new connections go to (ports on 127.0.0.1); established connections stay. */
  setEndpoints(ports: number[]): void {
    if (ports.length === 0) throw new Error('an endpoint proxy needs at least one endpoint');
    this.endpoints = [...ports];
  }

  private route(client: Socket): void {
    const port = this.endpoints[this.next++ % this.endpoints.length]!;
    this.routed.set(port, (this.routed.get(port) ?? 0) + 1);
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    // A refused or reset upstream resets the client's connection, as a DNAT-ed connection to a closed port would.
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.refused++;
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.once('error', () => upstream.destroy());
    // each side's FIN is passed on (half-close), so `Connection: close` from the server ends the client's connection
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
