import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { HttpProblem } from '../http/problems.js';
import type { Item, ItemInput, ItemPage, ItemPatch, RepriceInput, RepriceResult } from './schemas.js';

interface ItemRow {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
  stock: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, sku, name, price_cents, stock, created_at, updated_at';

const toItem = (row: ItemRow): Item => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  price_cents: row.price_cents,
  stock: row.stock,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const notFound = (id: number) => new HttpProblem('not-found', `item ${id} does not exist`);

export async function listItems(
  db: pg.Pool,
  query: { limit: number; offset: number; sku_prefix?: string | undefined },
): Promise<ItemPage> {
  const prefix = query.sku_prefix ?? null;
  const [page, count] = await Promise.all([
    db.query<ItemRow>(
      `SELECT ${COLUMNS} FROM items WHERE ($3::text IS NULL OR starts_with(sku, $3)) ORDER BY id LIMIT $1 OFFSET $2`,
      [query.limit, query.offset, prefix],
    ),
    db.query<{ total: number }>(
      'SELECT count(*)::int AS total FROM items WHERE ($1::text IS NULL OR starts_with(sku, $1))',
      [prefix],
    ),
  ]);
  return { items: page.rows.map(toItem), total: count.rows[0]?.total ?? 0, limit: query.limit, offset: query.offset };
}

export async function getItem(db: pg.Pool, id: number): Promise<Item> {
  const { rows } = await db.query<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = $1`, [id]);
  const row = rows[0];
  if (row === undefined) throw notFound(id);
  return toItem(row);
}

export async function createItem(db: pg.Pool, input: ItemInput): Promise<Item> {
  const { rows } = await db.query<ItemRow>(
    `INSERT INTO items (sku, name, price_cents, stock) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [input.sku, input.name, input.price_cents, input.stock],
  );
  return toItem(rows[0] as ItemRow);
}

/** PUT (every field) and PATCH (some fields): unset fields keep their value. */
export async function updateItem(db: pg.Pool, id: number, patch: ItemPatch | ItemInput): Promise<Item> {
  const { rows } = await db.query<ItemRow>(
    `UPDATE items
        SET sku = coalesce($2, sku), name = coalesce($3, name),
            price_cents = coalesce($4, price_cents), stock = coalesce($5, stock), updated_at = now()
      WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, patch.sku ?? null, patch.name ?? null, patch.price_cents ?? null, patch.stock ?? null],
  );
  const row = rows[0];
  if (row === undefined) throw notFound(id);
  return toItem(row);
}

/** Deletes an item; an item that was ever ordered is kept for the order history (409). */
export async function deleteItem(db: pg.Pool, id: number): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM items WHERE id = $1', [id]);
  if (rowCount === 0) throw notFound(id);
}

/**
 * RPC: changes by `percent` the price of every item whose sku starts with `sku_prefix`, in one transaction. Rows
 * are locked in id order, the same order order placement uses, so concurrent reprices and orders cannot deadlock.
 */
export async function reprice(db: pg.Pool, input: RepriceInput, signal?: AbortSignal): Promise<RepriceResult> {
  return withTransaction(
    db,
    async (client) => {
      const { rows } = await client.query<{ matched: number; old_total: number; new_total: number }>(
        `SELECT count(*)::int AS matched,
                coalesce(sum(price_cents), 0)::float8 AS old_total,
                coalesce(sum(greatest(1, round(price_cents * (1 + $2::numeric / 100)))), 0)::float8 AS new_total
           FROM (SELECT price_cents FROM items WHERE starts_with(sku, $1) ORDER BY id FOR UPDATE) locked`,
        [input.sku_prefix, input.percent],
      );
      const summary = rows[0] ?? { matched: 0, old_total: 0, new_total: 0 };
      let updated = 0;
      if (!input.dry_run && summary.matched > 0) {
        const result = await client.query(
          `UPDATE items SET price_cents = greatest(1, round(price_cents * (1 + $2::numeric / 100)))::int,
                            updated_at = now()
            WHERE starts_with(sku, $1)`,
          [input.sku_prefix, input.percent],
        );
        updated = result.rowCount ?? 0;
      }
      return {
        matched: summary.matched,
        updated,
        dry_run: input.dry_run,
        old_total_cents: summary.old_total,
        new_total_cents: summary.new_total,
      };
    },
    signal,
  );
}
