export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * True when the scraper prefers (or only accepts) OpenMetrics. Prometheus 3 sends
 * `application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,...,text/plain;version=0.0.4;q=0.3,*\/*;q=0.2`
 * (2.x: `application/openmetrics-text;version=1.0.0,...;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`).
 */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let best = { openMetrics: -1, text: -1 };
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isNaN(q) || q <= 0) continue;
    if (type === 'application/openmetrics-text') best = { ...best, openMetrics: Math.max(best.openMetrics, q) };
    else if (type === 'text/plain' || type === '*/*' || type === 'text/*')
      best = { ...best, text: Math.max(best.text, q) };
  }
  return best.openMetrics > 0 && best.openMetrics >= best.text;
}
