import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { HttpProblem } from '../http/problems.js';
import type { Order, OrderInput } from './schemas.js';

/**
 * Places an order in one transaction: locks the ordered items (in id order, so concurrent orders cannot deadlock),
 * checks they exist (404) and are in stock (409), decrements the stock and records the order at current prices.
 */
export async function createOrder(db: pg.Pool, input: OrderInput, signal?: AbortSignal): Promise<Order> {
  // one entry per item: quantities of repeated items add up
  const wanted = new Map<number, number>();
  for (const line of input.lines) wanted.set(line.item_id, (wanted.get(line.item_id) ?? 0) + line.quantity);
  const ids = [...wanted.keys()].sort((a, b) => a - b);

  const orderId = await withTransaction(
    db,
    async (client) => {
      const { rows: items } = await client.query<{ id: number; stock: number; price_cents: number }>(
        'SELECT id, stock, price_cents FROM items WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE',
        [ids],
      );
      const byId = new Map(items.map((item) => [item.id, item]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length > 0) throw new HttpProblem('not-found', `item ${missing.join(', ')} does not exist`);
      const short = ids.filter((id) => (byId.get(id)?.stock ?? 0) < (wanted.get(id) ?? 0));
      if (short.length > 0) {
        throw new HttpProblem(
          'insufficient-stock',
          short.map((id) => `item ${id}: ${wanted.get(id)} wanted, ${byId.get(id)?.stock ?? 0} in stock`).join('; '),
        );
      }
      await client.query(
        `UPDATE items i SET stock = i.stock - w.quantity, updated_at = now()
           FROM unnest($1::int[], $2::int[]) AS w(item_id, quantity)
          WHERE i.id = w.item_id`,
        [ids, ids.map((id) => wanted.get(id))],
      );
      const total = input.lines.reduce((sum, l) => sum + l.quantity * (byId.get(l.item_id)?.price_cents ?? 0), 0);
      const { rows } = await client.query<{ id: number }>('INSERT INTO orders (total_cents) VALUES ($1) RETURNING id', [
        total,
      ]);
      const id = rows[0]?.id as number;
      await client.query(
        `INSERT INTO order_lines (order_id, line_no, item_id, quantity, unit_price_cents)
         SELECT $1, l.line_no, l.item_id, l.quantity, i.price_cents
           FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS l(item_id, quantity, line_no)
           JOIN items i ON i.id = l.item_id`,
        [id, input.lines.map((l) => l.item_id), input.lines.map((l) => l.quantity)],
      );
      return id;
    },
    signal,
  );
  return getOrder(db, orderId);
}

export async function getOrder(db: pg.Pool, id: number): Promise<Order> {
  const { rows } = await db.query<{
    id: number;
    created_at: Date;
    total_cents: number;
    lines: Order['lines'] | null;
  }>(
    `SELECT o.id, o.created_at, o.total_cents::float8 AS total_cents,
            json_agg(json_build_object(
              'line_no', l.line_no, 'item_id', l.item_id, 'sku', i.sku, 'quantity', l.quantity,
              'unit_price_cents', l.unit_price_cents, 'amount_cents', l.quantity * l.unit_price_cents
            ) ORDER BY l.line_no) FILTER (WHERE l.line_no IS NOT NULL) AS lines
       FROM orders o
       LEFT JOIN order_lines l ON l.order_id = o.id
       LEFT JOIN items i ON i.id = l.item_id
      WHERE o.id = $1
      GROUP BY o.id`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw new HttpProblem('not-found', `order ${id} does not exist`);
  return { id: row.id, created_at: row.created_at.toISOString(), total_cents: row.total_cents, lines: row.lines ?? [] };
}
