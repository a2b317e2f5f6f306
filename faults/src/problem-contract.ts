import { Ajv2020 } from 'ajv/dist/2020.js';

/** The media type of the demo's error answers (RFC 7807). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** An HTTP answer: status, headers (lower-case names), body text. A `Call` is one. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A fetch Response read into an Answer. */
export async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Checks error answers against the demo's own OpenAPI document (GET /openapi.json): the Problem schema of
 * `components.schemas`, with the references it makes. Returns what is wrong with an answer, or [] when it conforms.
 */
export class ProblemContract {
  private constructor(private readonly validate: (value: unknown) => string[]) {}

  static async fetch(baseUrl: string): Promise<ProblemContract> {
    const response = await fetch(`${baseUrl}/openapi.json`);
    if (!response.ok) throw new Error(`GET /openapi.json: ${response.status}`);
    const document = (await response.json()) as OpenApiDocument;
    if (document.components?.schemas?.Problem === undefined) throw new Error('the OpenAPI document has no Problem');
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; `strict: false` tolerates OpenAPI's annotation keywords.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi.json', components: document.components });
    const check = ajv.getSchema('openapi.json#/components/schemas/Problem');
    if (check === undefined) throw new Error('cannot compile the Problem schema');
    return new ProblemContract((value) =>
      check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`),
    );
  }

  /**
   * What is wrong with an error answer: it must be problem+json, its body must match the Problem schema and carry
   * its own status. `retryAfter` also requires a Retry-After header (503 answers).
   */
  violations(answer: Answer, options: { retryAfter?: boolean } = {}): string[] {
    const problems: string[] = [];
    const contentType = String(answer.headers['content-type'] ?? '');
    if (!contentType.startsWith(PROBLEM_MEDIA_TYPE)) problems.push(`content-type ${contentType}`);
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [...problems, `body is not JSON: ${answer.body.slice(0, 100)}`];
    }
    problems.push(...this.validate(body));
    if ((body as { status?: unknown }).status !== answer.status) problems.push('body status differs from the status');
    if (options.retryAfter && !/^\d+$/.test(String(answer.headers['retry-after'] ?? '')))
      problems.push('no Retry-After');
    return problems;
  }
}
