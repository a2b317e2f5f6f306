/**
 * The API's data shapes, written once: requests are validated with them, responses are typed by them, and the
 * OpenAPI document is generated from them.
 */
import { z } from 'zod';

const INT4_MAX = 2_147_483_647;

/**
 * An integer from a path or query string: decimal digits only. (`z.coerce.number()` also took `1e3`, `0x10`, ` 12`
 * and `` as 1000, 16, 12 and 0, so /items/0x10 answered item 16: found by the fault suite.)
 */
const intParam = (min: number, max: number, fallback?: number) => {
  const int = z.int().min(min).max(max);
  const toNumber = (v: unknown) => (typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v);
  return fallback === undefined ? z.preprocess(toNumber, int) : z.preprocess(toNumber, int.default(fallback));
};

const ItemId = intParam(1, INT4_MAX).meta({ description: 'Item id.', example: 42, param: { required: true } });
const OrderId = intParam(1, INT4_MAX).meta({ description: 'Order id.', example: 7, param: { required: true } });

const Sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'letters, digits, dot, dash and underscore only' })
  .meta({ description: 'Stock keeping unit, unique.', example: 'SKU-42' });
/**
 * Free text: any Unicode except NUL, which PostgreSQL cannot store in text. Rejected here with a validation error
 * (and stated in the OpenAPI pattern) rather than by the database with a generic 400.
 */
const NO_NUL = /^[^\u0000]*$/;
const text = (max: number) =>
  z.string().trim().min(1).max(max).regex(NO_NUL, { error: 'must not contain NUL (U+0000) characters' });

const Name = text(200).meta({ example: 'Blue ceramic mug' });
const SkuPrefix = text(64);
const PriceCents = z.int().min(0).max(100_000_000).meta({ description: 'Unit price in cents.', example: 1250 });
const Stock = z.int().min(0).max(1_000_000_000).meta({ description: 'Units in stock.', example: 100 });

export const Item = z
  .object({
    id: z.int(),
    sku: z.string(),
    name: z.string(),
    price_cents: z.int(),
    stock: z.int(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Item' });
export type Item = z.output<typeof Item>;

export const ItemInput = z
  .strictObject({ sku: Sku, name: Name, price_cents: PriceCents, stock: Stock })
  .meta({ id: 'ItemInput', description: 'A new item, or the full replacement of one (PUT).' });
export type ItemInput = z.output<typeof ItemInput>;

export const ItemPatch = z
  .strictObject({ sku: Sku, name: Name, price_cents: PriceCents, stock: Stock })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'at least one field is required' })
  .meta({ id: 'ItemPatch', description: 'The fields to change; at least one.', minProperties: 1 });
export type ItemPatch = z.output<typeof ItemPatch>;

export const ItemParams = z.object({ id: ItemId });
export const OrderParams = z.object({ id: OrderId });

export const ListItemsQuery = z.object({
  limit: intParam(1, 100, 20).meta({ description: 'Page size (1-100).' }),
  offset: intParam(0, 1_000_000, 0).meta({ description: 'Items to skip.' }),
  sku_prefix: SkuPrefix.optional().meta({ description: 'Only items whose sku starts with this text.' }),
});

export const ItemPage = z
  .object({
    items: z.array(Item),
    total: z.int().meta({ description: 'Items matching the filter, all pages together.' }),
    limit: z.int(),
    offset: z.int(),
  })
  .meta({ id: 'ItemPage' });
export type ItemPage = z.output<typeof ItemPage>;

export const OrderInput = z
  .strictObject({
    lines: z
      .array(z.strictObject({ item_id: z.int().min(1).max(INT4_MAX), quantity: z.int().min(1).max(1_000) }))
      .min(1)
      .max(50),
  })
  .meta({ id: 'OrderInput' });
export type OrderInput = z.output<typeof OrderInput>;

const OrderLine = z
  .object({
    line_no: z.int(),
    item_id: z.int(),
    sku: z.string(),
    quantity: z.int(),
    unit_price_cents: z.int(),
    amount_cents: z.int(),
  })
  .meta({ id: 'OrderLine' });

export const Order = z
  .object({
    id: z.int(),
    created_at: z.iso.datetime({ offset: true }),
    total_cents: z.int(),
    lines: z.array(OrderLine),
  })
  .meta({ id: 'Order' });
export type Order = z.output<typeof Order>;

const IsoDate = z.iso.date().meta({ description: 'A UTC calendar day, YYYY-MM-DD.', example: '2026-01-31' });

export const MAX_REPORT_DAYS = 731;

export const SalesReportQuery = z
  .object({
    from: IsoDate.optional().meta({ description: 'First day (default: 29 days before `to`).' }),
    to: IsoDate.optional().meta({ description: 'Last day, inclusive (default: today, UTC).' }),
    top: intParam(1, 100, 10).meta({ description: 'Best-selling items to list.' }),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    error: '`from` must not be after `to`',
    path: ['from'],
  });

export const SalesReport = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    totals: z.object({ orders: z.int(), units: z.int(), revenue_cents: z.number() }),
    days: z.array(
      z.object({
        day: z.iso.date(),
        orders: z.int(),
        units: z.int(),
        revenue_cents: z.number(),
        revenue_7d_avg_cents: z.number().meta({ description: 'Moving average over this day and the 6 before.' }),
        cumulative_revenue_cents: z.number(),
      }),
    ),
    top_items: z.array(
      z.object({
        rank: z.int(),
        item_id: z.int(),
        sku: z.string(),
        name: z.string(),
        units: z.int(),
        revenue_cents: z.number(),
        share: z.number().meta({ description: "Share of the period's revenue, 0-1." }),
      }),
    ),
  })
  .meta({ id: 'SalesReport' });
export type SalesReport = z.output<typeof SalesReport>;

export const RepriceInput = z
  .strictObject({
    sku_prefix: SkuPrefix.meta({ description: 'Items whose sku starts with this text.' }),
    percent: z
      .number()
      .min(-90)
      .max(1_000)
      .meta({ description: 'Price change in percent (-10 = 10 % cheaper). Prices stay at least 1 cent.' }),
    dry_run: z.boolean().default(false).meta({ description: 'Compute the new prices without saving them.' }),
  })
  .meta({ id: 'RepriceInput' });
export type RepriceInput = z.output<typeof RepriceInput>;

export const RepriceResult = z
  .object({
    matched: z.int(),
    updated: z.int(),
    dry_run: z.boolean(),
    old_total_cents: z.number(),
    new_total_cents: z.number(),
  })
  .meta({ id: 'RepriceResult' });
export type RepriceResult = z.output<typeof RepriceResult>;

export const ApiVersion = z.object({ version: z.string() }).meta({ id: 'ApiVersion' });
export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const Readiness = z.object({ status: z.literal('ready'), database: z.literal('ok') }).meta({ id: 'Readiness' });
