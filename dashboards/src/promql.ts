/**
 * Small PromQL string builders: every query of the dashboards and rules is assembled from metric and label constants
 * through these, so no name is spelled twice and matchers are always quoted the same way.
 */

/** Grafana's rate window: at least four scrape intervals, whatever the zoom. */
export const RATE_INTERVAL = '$__rate_interval';

/** `label="value"` */
export const eq = (label: string, value: string): string => `${label}="${value}"`;
/** `label=~"regex"` */
export const re = (label: string, regex: string): string => `${label}=~"${regex}"`;
/** `label!="value"` */
export const ne = (label: string, value: string): string => `${label}!="${value}"`;

/** `metric{m1, m2}` */
export const sel = (metric: string, ...matchers: string[]): string =>
  matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;

export const rate = (selector: string, window = RATE_INTERVAL): string => `rate(${selector}[${window}])`;
export const increase = (selector: string, window = RATE_INTERVAL): string => `increase(${selector}[${window}])`;

/** `sum by (a, b) (expr)`; plain `sum(expr)` without labels. */
export const sumBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
export const maxBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `max(${expr})` : `max by (${labels.join(', ')}) (${expr})`;

/** `histogram_quantile(q, sum by (le, ...) (rate(<metric>_bucket{...}[w])))` */
export const quantile = (
  q: number,
  histogram: string,
  matchers: string[],
  by: readonly string[] = [],
  window = RATE_INTERVAL,
): string => `histogram_quantile(${q}, ${sumBy(['le', ...by], rate(sel(`${histogram}_bucket`, ...matchers), window))})`;

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

/** `(a) / (b)` */
export const ratio = (numerator: string, denominator: string): string => `${numerator} / ${denominator}`;
