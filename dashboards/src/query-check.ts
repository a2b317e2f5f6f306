import { parser } from '@prometheus-io/lezer-promql';

/** Metric and label names a PromQL expression refers to, as the lezer-promql grammar reads them. */
export interface QueryNames {
  metrics: string[];
  labels: string[];
}

/**
 * Replaces Grafana's template variables by concrete values, so the expression is plain PromQL: the built-in
 * intervals get fixed durations, `$name` / `${name}` come from `values` (an unknown variable is an error).
 */
export function substituteVariables(expr: string, values: Record<string, string>): string {
  const builtins: Record<string, string> = {
    __rate_interval: '1m',
    __interval: '15s',
    __range: '5m',
  };
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (match, braced?: string, plain?: string) => {
    const name = braced ?? plain ?? '';
    const value = values[name] ?? builtins[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${match} in: ${expr}`);
    return value;
  });
}

/** Parses a PromQL expression; throws with the position of the first syntax error. */
export function parsePromql(expr: string): QueryNames {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  const labels = new Set<string>();
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError && error === undefined) error = node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        metrics.add(expr.slice(node.from, node.to));
      }
      if (node.name === 'LabelName') labels.add(expr.slice(node.from, node.to));
    },
  });
  if (error !== undefined) {
    throw new Error(`PromQL syntax error at ${error}: ${expr.slice(0, error)} <here> ${expr.slice(error)}`);
  }
  return { metrics: [...metrics], labels: [...labels] };
}

/** The vector selectors of a PromQL expression (`metric{matchers}`), as written, with their metric names. */
export function vectorSelectors(expr: string): Array<{ metric: string; selector: string }> {
  const found: Array<{ metric: string; selector: string }> = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      found.push({
        metric: identifier === null ? '' : expr.slice(identifier.from, identifier.to),
        selector: expr.slice(node.from, node.to),
      });
    },
  });
  return found;
}
