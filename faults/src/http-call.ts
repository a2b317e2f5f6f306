import { randomBytes } from 'node:crypto';
import { type Agent, request } from 'node:http';

/** One HTTP exchange as a fault test sees it: the answer, or the network error that replaced it. */
export interface Call {
  method: string;
  path: string;
  /** When the request was sent and when it settled (ms since the epoch). */
  sentAt: number;
  doneAt: number;
  /** The trace this request started (it carried a sampled traceparent). */
  traceId: string;
  /** 0 when there was no response. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Node's error code when there was no response (ECONNREFUSED, ECONNRESET...). */
  error?: string;
}

/**
 * One request with node:http, never throwing: network failures come back as `status: 0` and their error code, so
 * a test can tell "refused" (clean) from "reset mid-request" (not clean). `agent: false` opens a new connection
 * for this request alone.
 */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; agent?: Agent | false; timeoutMs?: number } = {},
): Promise<Call> {
  const traceId = randomBytes(16).toString('hex');
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const done = (result: Pick<Call, 'status' | 'headers' | 'body' | 'error'>) =>
      resolve({ method, path, sentAt, doneAt: Date.now(), traceId, ...result });
    const req = request(
      new URL(path, baseUrl),
      {
        method,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 30_000,
        headers: {
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', (error: NodeJS.ErrnoException) =>
          done({ status: 0, headers: {}, body, error: error.code ?? error.message }),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) =>
      done({ status: 0, headers: {}, body: '', error: error.code ?? error.message }),
    );
    req.end(payload);
  });
}
