/**
 * Converts Prometheus text format 0.0.4 (as written by the OpenTelemetry Prometheus exporter or a text-format
 * prom-client registry) into OpenMetrics 1.0 families, so that one `/metrics` response can carry exemplars:
 * - counter families are named without `_total` in HELP/TYPE (their samples keep it);
 * - `untyped` becomes `unknown`;
 * - `# UNIT` lines are dropped (OpenMetrics requires the unit to be a suffix of the name, which the OTel exporter's
 *   UCUM units such as `s` or `By` are not) and so are blank lines and plain comments;
 * - the `# EOF` terminator is not added here: the caller appends one at the very end.
 */
export function textToOpenMetrics(text: string): string {
  const counterFamilies = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm)) {
    if (match[1] !== undefined) counterFamilies.add(match[1]);
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!line.startsWith('#')) {
      out.push(line);
      continue;
    }
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta === null) continue;
    const [, kind, name = '', rest = ''] = meta;
    const family = counterFamilies.has(name) ? name.replace(/_total$/, '') : name;
    const value = kind === 'TYPE' && rest === 'untyped' ? 'unknown' : rest;
    out.push(`# ${kind} ${family}${value === '' ? '' : ` ${value}`}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Removes the trailing `# EOF` line of an OpenMetrics document, to concatenate more families after it. */
export function stripEof(openMetrics: string): string {
  return openMetrics.replace(/# EOF\n?$/, '');
}
