import type { Pool } from 'pg';
import type { Logger } from '../log.js';
import { withTransaction } from './pool.js';

const SEED_LOCK_KEY = 7_271_002;

export interface SeedOptions {
  /** Catalogue size: items SKU-1..SKU-n (ids 1..n on a fresh database). */
  items: number;
  /** Orders spread over the last `days` days, with 1-4 lines each (popular items sell more). */
  orders: number;
  days: number;
}

export const DEFAULT_SEED: SeedOptions = { items: 1_000, orders: 20_000, days: 90 };

export interface SeedResult {
  itemsInserted: number;
  ordersInserted: number;
}

/**
 * Sample data for load tests and the sales report. Idempotent: items are inserted by sku (existing ones kept), and
 * orders only up to `orders` in total. Stock is large so load tests rarely run out. One transaction, serialised
 * with other seeders by an advisory lock.
 */
export async function seed(pool: Pool, options: SeedOptions = DEFAULT_SEED, log?: Logger): Promise<SeedResult> {
  const result = await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const items = await client.query(
      `INSERT INTO items (sku, name, price_cents, stock)
       SELECT 'SKU-' || n,
              initcap((ARRAY['classic','compact','deluxe','eco','heavy-duty','mini','pro','smart','travel','vintage'])[1 + n % 10])
                || ' ' || (ARRAY['backpack','kettle','lamp','mug','notebook','pen','scarf','speaker','teapot','umbrella','wallet'])[1 + (n / 10) % 11]
                || ' ' || n,
              199 + (n * 7919) % 49800,
              1000000
         FROM generate_series(1, $1::int) AS n
       ON CONFLICT (sku) DO NOTHING`,
      [options.items],
    );
    const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM orders');
    const missing = Math.max(0, options.orders - (rows[0]?.count ?? 0));
    if (missing > 0) {
      await client.query('SELECT setseed(0.42)');
      await client.query(
        `WITH catalogue AS (SELECT array_agg(id ORDER BY id) AS ids FROM items),
              new_orders AS (
                INSERT INTO orders (created_at, total_cents)
                SELECT now() - random() * make_interval(days => $2::int), 0 FROM generate_series(1, $1::int)
                RETURNING id
              ),
              -- a CTE with volatile functions is materialised: each line draws its item once
              picks AS (
                SELECT o.id AS order_id, l.line_no,
                       c.ids[1 + floor(power(random(), 2) * array_length(c.ids, 1))::int] AS item_id,
                       1 + floor(random() * 3)::int AS quantity
                  FROM new_orders o
                 CROSS JOIN catalogue c
                 CROSS JOIN LATERAL generate_series(1, 1 + o.id % 4) AS l(line_no)
              )
         INSERT INTO order_lines (order_id, line_no, item_id, quantity, unit_price_cents)
         SELECT p.order_id, p.line_no, p.item_id, p.quantity, i.price_cents
           FROM picks p JOIN items i ON i.id = p.item_id`,
        [missing, options.days],
      );
      await client.query(
        `UPDATE orders o SET total_cents = s.total
           FROM (SELECT order_id, sum(quantity * unit_price_cents) AS total FROM order_lines GROUP BY order_id) s
          WHERE o.id = s.order_id AND o.total_cents = 0`,
      );
      // orders whose lines all missed (cannot happen with a non-empty catalogue) would stay empty: drop them
      await client.query('DELETE FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)');
    }
    await client.query('ANALYZE items, orders, order_lines');
    return { itemsInserted: items.rowCount ?? 0, ordersInserted: missing };
  });
  log?.info(result, 'seed done');
  return result;
}
