/** Jaeger's HTTP query API (the v1 JSON API that Jaeger v2 still serves on its query port). */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
  processID: string;
  duration: number;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: Array<{ key: string; value: unknown }> }>;
}

export class JaegerApi {
  constructor(readonly baseUrl: string) {}

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`);
    if (!response.ok) throw new Error(`jaeger ${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: T }).data;
  }

  services(): Promise<string[]> {
    return this.get<string[] | null>('/api/services').then((s) => s ?? []);
  }

  traces(service: string, params: Record<string, string> = {}): Promise<JaegerTrace[]> {
    const query = new URLSearchParams({ service, limit: '50', lookback: '1h', ...params });
    return this.get<JaegerTrace[]>(`/api/traces?${query}`);
  }

  /** The trace, or undefined when Jaeger does not have it. */
  async trace(traceId: string): Promise<JaegerTrace | undefined> {
    const response = await fetch(`${this.baseUrl}/api/traces/${traceId}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`jaeger trace ${traceId}: ${response.status}`);
    return ((await response.json()) as { data: JaegerTrace[] }).data[0];
  }
}

/** A tag value of a span or a process, by key. */
export const tagOf = (tags: Array<{ key: string; value: unknown }>, key: string) =>
  tags.find((t) => t.key === key)?.value;
