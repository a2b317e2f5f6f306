/** Reading a Prometheus text exposition (a `/metrics` body) in tests: series lines and sample values. */

/** Sample lines (not comments, not blank) of an exposition: one per series. */
export function sampleLines(body: string): string[] {
  return body.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** Series of one sample name (e.g. `http_server_request_duration_seconds_count`), with labels. */
export function seriesOf(body: string, sample: string): string[] {
  return sampleLines(body).filter((line) => line.startsWith(`${sample}{`) || line.startsWith(`${sample} `));
}

/** The value of one label in a series line, or undefined. */
export function labelOf(line: string, label: string): string | undefined {
  return new RegExp(`[{,]${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(line)?.[1];
}

/** The value of a series line (a number; NaN when the line does not end in one). */
export function valueOf(line: string): number {
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * Sum of the values of the series of one sample name whose labels satisfy `where` (every series when omitted);
 * 0 when there is none.
 */
export function sumOf(body: string, sample: string, where: (line: string) => boolean = () => true): number {
  return seriesOf(body, sample)
    .filter(where)
    .reduce((sum, line) => sum + valueOf(line), 0);
}

/** GETs a metrics endpoint and returns its body (throws on a non-2xx answer). */
export async function scrapeText(url: string): Promise<string> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${body.slice(0, 200)}`);
  return body;
}
