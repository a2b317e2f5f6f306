import { type Agent } from 'node:http';
import { type Call, call } from './http-call.js';

/**
 * Test-side clients that keep writing to the demo while a fault happens, and remember every write the demo
 * acknowledged: each worker creates an item, reads it back and orders one of it, in a loop. Afterwards the test
 * checks that every acknowledged id is in the database, and what each failed call was answered.
 */
export class WriteProbe {
  readonly calls: Call[] = [];
  /** Ids the demo answered 201 for. */
  readonly itemIds: number[] = [];
  readonly orderIds: number[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly options: { concurrency?: number; agent?: Agent | false; pauseMs?: number } = {},
  ) {}

  start(): this {
    this.running = true;
    this.workers = Array.from({ length: this.options.concurrency ?? 4 }, () => this.work());
    return this;
  }

  async stop(): Promise<Call[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.calls;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Call> {
    const result = await call(this.baseUrl, method, path, { body, agent: this.options.agent });
    this.calls.push(result);
    return result;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const n = this.sequence++;
      const created = await this.send('POST', '/items', {
        sku: `FAULT-${process.pid}-${n}`,
        name: `Fault probe item ${n}`,
        price_cents: 1_000 + n,
        stock: 10,
      });
      if (created.status === 201) {
        const id = (JSON.parse(created.body) as { id: number }).id;
        this.itemIds.push(id);
        await this.send('GET', `/items/${id}`);
        const order = await this.send('POST', '/orders', { lines: [{ item_id: id, quantity: 1 }] });
        if (order.status === 201) this.orderIds.push((JSON.parse(order.body) as { id: number }).id);
      }
      if (this.options.pauseMs) await new Promise((r) => setTimeout(r, this.options.pauseMs));
    }
  }
}
