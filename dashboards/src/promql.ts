/**
 * Small PromQL string builders: every query of the dashboards and rules is assembled from metric and label constants
 * through these, so no name is spelled twice and matchers are always quoted the same way.
 */
import { PROMETHEUS_LABELS } from './exporter-metrics.js';

/** Grafana's rate window: at least four scrape intervals, whatever the zoom. */
const RATE_INTERVAL = '$__rate_interval';

/** `label="value"` */
export const eq = (label: string, value: string): string => `${label}="${value}"`;
/** `label=~"regex"` */
export const re = (label: string, regex: string): string => `${label}=~"${regex}"`;
/** `label!="value"` */
export const ne = (label: string, value: string): string => `${label}!="${value}"`;

/** `metric{m1, m2}` */
export const sel = (metric: string, ...matchers: string[]): string =>
  matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;

/**
 * A float as Prometheus 3 writes it in the `le` and `quantile` labels it scrapes (Go's
 * `labels.FormatOpenMetricsFloat`: `strconv.FormatFloat(f, 'g', -1, 64)`, with `.0` appended when that has neither
 * a `.` nor an exponent): 1 -> `1.0`, 10 -> `10.0`, 0.5 -> `0.5`, 1e6 -> `1e+06`, 1e-5 -> `1e-05`.
 */
export function prometheusFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0.0';
  // toExponential() without an argument gives the shortest digits that round-trip, as Go's -1 precision does
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // 'g' with the shortest precision switches to an exponent below 1e-4 and from 1e6 on (Go's eprec = 6)
  const text =
    exponent < -4 || exponent >= 6
      ? `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
      : String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A label value as a regex matching only itself: `.` and the other regex metacharacters escaped. */
const literalRegex = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

/**
 * The matcher of one histogram bucket, `le` = `seconds`, whichever way the boundary was written: Prometheus 3
 * normalises scraped `le` values (`le="1.0"`), Prometheus 2 keeps the exporter's text (`le="1"` from
 * @otelkit/node, which writes JavaScript's `String(1)`). Where both forms agree (0.5) it is a plain `le="0.5"`;
 * otherwise `le=~"1|1\\.0"`.
 */
export function bucketMatcher(seconds: number): string {
  const forms = [...new Set([String(seconds), prometheusFloat(seconds)])];
  const { le } = PROMETHEUS_LABELS;
  return forms.length === 1 ? eq(le, forms[0] ?? '') : re(le, forms.map(literalRegex).join('|'));
}

export const rate = (selector: string, window = RATE_INTERVAL): string => `rate(${selector}[${window}])`;
export const increase = (selector: string, window = RATE_INTERVAL): string => `increase(${selector}[${window}])`;

/** `sum by (a, b) (expr)`; plain `sum(expr)` without labels. */
export const sumBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
export const maxBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `max(${expr})` : `max by (${labels.join(', ')}) (${expr})`;

/** `histogram_quantile(q, sum by (...) (rate(<native histogram>{...}[w])))`: no `le`, the buckets are in the sample. */
export const nativeQuantile = (
  q: number,
  histogram: string,
  matchers: string[],
  by: readonly string[] = [],
  window = RATE_INTERVAL,
): string => `histogram_quantile(${q}, ${sumBy(by, rate(sel(histogram, ...matchers), window))})`;

/** `histogram_quantile(q, sum by (le, ...) (rate(<metric>_bucket{...}[w])))`: a classic histogram's buckets. */
export const quantile = (
  q: number,
  histogram: string,
  matchers: string[],
  by: readonly string[] = [],
  window = RATE_INTERVAL,
): string => nativeQuantile(q, `${histogram}_bucket`, matchers, [PROMETHEUS_LABELS.le, ...by], window);

/**
 * `(expr or 0 * reference)`: `expr`, or 0 for every group of `reference` that `expr` lacks. Counters that only exist
 * after the first failure (5xx responses, dropped spans) must read 0, not "No data", while nothing fails; `reference`
 * is a sibling that always exists, grouped the same way.
 */
export const orZero = (expr: string, reference: string): string => `(${expr} or 0 * ${reference})`;

/** The rate of the `subset` of `metric`'s series grouped by `by`, 0 for groups with traffic but none of the subset. */
export const rateOrZero = (
  metric: string,
  all: string[],
  subset: string[],
  by: readonly string[],
  window = RATE_INTERVAL,
): string =>
  orZero(sumBy(by, rate(sel(metric, ...all, ...subset), window)), sumBy(by, rate(sel(metric, ...all), window)));

/**
 * A number as people and PromQL write it, without floating-point noise: 6 significant digits, so
 * `(1 - 0.999) * 100` reads 0.1, not 0.10000000000000009, and 14.4 * 0.001 reads 0.0144.
 */
export const num = (value: number): string => String(Number(value.toPrecision(6)));
/** The same, as a number (threshold steps of the dashboards). */
export const round = (value: number): number => Number(value.toPrecision(6));
/** A ratio as a percentage for descriptions and summaries: 0.999 -> `99.9%`. */
export const percent = (ratio: number): string => `${num(ratio * 100)}%`;

const BINARY_OPERATORS = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'and',
  'or',
  'unless',
  'atan2',
]);

/** Whether `expr` has a binary operator outside any parentheses, brackets, braces or string. */
function hasTopLevelOperator(expr: string): boolean {
  const tokens: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let token = '';
  for (const char of expr) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if ('([{'.includes(char)) {
      if (depth === 0) tokens.push(token);
      token = '';
      depth++;
    } else if (')]}'.includes(char)) {
      depth--;
    } else if (depth === 0) {
      if (/\s/.test(char)) {
        tokens.push(token);
        token = '';
      } else token += char;
    }
  }
  tokens.push(token);
  return tokens.some((t) => BINARY_OPERATORS.has(t));
}

/** `a / b`, each operand in parentheses when it has a top-level operator that `/` would otherwise bind into. */
export const ratio = (numerator: string, denominator: string): string => {
  const operand = (expr: string) => (hasTopLevelOperator(expr) ? `(${expr})` : expr);
  return `${operand(numerator)} / ${operand(denominator)}`;
};
