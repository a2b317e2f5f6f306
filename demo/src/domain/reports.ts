import type pg from 'pg';
import type { SalesReport } from './schemas.js';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The period of a report: `to` defaults to today (UTC), `from` to 29 days before `to`. */
export function reportPeriod(query: { from?: string | undefined; to?: string | undefined }, now = new Date()) {
  const to = query.to ?? isoDay(now);
  const from = query.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
  return { from, to, days: Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1 };
}

/**
 * Sales per day (zero-filled with generate_series, 7-day moving average and running total by window functions) and
 * the best-selling items (ranked by a window function) of a period: two aggregate queries over every order line
 * of the period, run concurrently. Its cost grows with the orders in the period: this is the realistic slow route.
 */
export async function salesReport(
  db: pg.Pool,
  period: { from: string; to: string },
  top: number,
): Promise<SalesReport> {
  const [days, items] = await Promise.all([
    db.query<SalesReport['days'][number]>(
      `WITH lines AS (
         SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.id AS order_id, l.quantity,
                l.quantity * l.unit_price_cents AS amount
           FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.created_at >= $1::date AT TIME ZONE 'UTC'
            AND o.created_at < ($2::date + 1) AT TIME ZONE 'UTC'
       ),
       daily AS (
         SELECT d.day::date AS day, count(DISTINCT l.order_id) AS orders,
                coalesce(sum(l.quantity), 0) AS units, coalesce(sum(l.amount), 0) AS revenue
           FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
           LEFT JOIN lines l ON l.day = d.day::date
          GROUP BY d.day
       )
       SELECT to_char(day, 'YYYY-MM-DD') AS day, orders::int, units::int, revenue::float8 AS revenue_cents,
              round(avg(revenue) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2)::float8
                AS revenue_7d_avg_cents,
              (sum(revenue) OVER (ORDER BY day))::float8 AS cumulative_revenue_cents
         FROM daily
        ORDER BY day`,
      [period.from, period.to],
    ),
    db.query<SalesReport['top_items'][number]>(
      `WITH per_item AS (
         SELECT l.item_id, sum(l.quantity) AS units, sum(l.quantity * l.unit_price_cents) AS revenue
           FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.created_at >= $1::date AT TIME ZONE 'UTC'
            AND o.created_at < ($2::date + 1) AT TIME ZONE 'UTC'
          GROUP BY l.item_id
       ),
       ranked AS (
         SELECT item_id, units, revenue,
                rank() OVER (ORDER BY revenue DESC) AS rank,
                revenue / nullif(sum(revenue) OVER (), 0) AS share
           FROM per_item
       )
       SELECT r.rank::int, r.item_id, i.sku, i.name, r.units::int, r.revenue::float8 AS revenue_cents,
              round(coalesce(r.share, 0), 6)::float8 AS share
         FROM ranked r JOIN items i ON i.id = r.item_id
        WHERE r.rank <= $3
        ORDER BY r.rank, r.item_id
        LIMIT $3`,
      [period.from, period.to, top],
    ),
  ]);
  const totals = { orders: 0, units: 0, revenue_cents: 0 };
  for (const day of days.rows) {
    totals.orders += day.orders;
    totals.units += day.units;
    totals.revenue_cents += day.revenue_cents;
  }
  return { from: period.from, to: period.to, totals, days: days.rows, top_items: items.rows };
}
