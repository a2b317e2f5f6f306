/** Prometheus rule files' shapes (the same groups go to a rules file and to a PrometheusRule). */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string> & { severity: 'critical' | 'warning' };
  annotations: {
    summary: string;
    description: string;
    /** `<runbookBaseUrl>/<alert>.md` (links.ts): what it means, how to confirm, what to do. */
    runbook_url: string;
    /** Absolute link to the Grafana dashboard to start from (`<grafana.url>/d/<uid>`). */
    dashboard: string;
  };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export const isAlert = (rule: Rule): rule is AlertingRule => 'alert' in rule;
