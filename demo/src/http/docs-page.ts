import { PROBLEM_SLUGS, PROBLEM_TYPES } from './problems.js';

/**
 * A self-contained HTML rendering of the OpenAPI document (no scripts, no CDN): operations with their parameters,
 * request bodies and responses, the schemas, and the problem types that `type` URIs of error responses point to.
 */
type Json = Record<string, any>;

const escape = (text: unknown) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const refName = (ref: string) => ref.split('/').pop() ?? ref;

/** A compact one-line type: `integer`, `string (date)`, `Item[]`, `Problem`. */
function typeOf(schema: Json | undefined): string {
  if (schema === undefined) return '';
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(typeOf).join(' | ');
  if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => escape(JSON.stringify(v))).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  return escape(schema.format ? `${type} (${schema.format})` : type);
}

function bounds(schema: Json | undefined): string {
  if (schema === undefined) return '';
  const parts: string[] = [];
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'default', 'pattern']) {
    if (schema[key] !== undefined) parts.push(`${key} ${JSON.stringify(schema[key])}`);
  }
  return escape(parts.join(', '));
}

function schemaTable(schema: Json): string {
  if (schema.type !== 'object' || schema.properties === undefined) {
    return `<pre>${escape(JSON.stringify(schema, null, 2))}</pre>`;
  }
  const required = new Set<string>(schema.required ?? []);
  const rows = Object.entries(schema.properties as Record<string, Json>).map(([name, prop]) => {
    // inline objects (and arrays of them) are expanded in place
    const inline =
      prop.type === 'object' ? prop : prop.type === 'array' && prop.items?.type === 'object' ? prop.items : undefined;
    return (
      `<tr><td><code>${escape(name)}</code>${required.has(name) ? '' : ' <small>(optional)</small>'}</td>` +
      `<td>${typeOf(prop)}</td><td>${bounds(prop)}</td>` +
      `<td>${escape(prop.description ?? '')}${inline?.properties ? schemaTable(inline) : ''}</td></tr>`
    );
  });
  return `<table><tr><th>field</th><th>type</th><th>constraints</th><th></th></tr>${rows.join('')}</table>`;
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = ((op.parameters ?? []) as Json[]).map(
    (p) =>
      `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'required' : ''}</td>` +
      `<td>${typeOf(p.schema)}</td><td>${bounds(p.schema)}</td><td>${escape(p.description ?? p.schema?.description ?? '')}</td></tr>`,
  );
  const body = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => {
    const [media, content] = Object.entries((r.content ?? {}) as Record<string, Json>)[0] ?? [];
    return (
      `<tr><td>${escape(status)}</td><td>${escape(r.description ?? '')}</td>` +
      `<td>${media ? `<code>${escape(media)}</code> ${typeOf(content?.schema)}` : ''}</td></tr>`
    );
  });
  return `
  <section class="op" id="op-${escape(op.operationId)}">
    <h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
    <p>${escape(op.summary ?? '')}${op.description ? `<br><small>${escape(op.description)}</small>` : ''}</p>
    ${params.length ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th></th><th>type</th><th>constraints</th><th></th></tr>${params.join('')}</table>` : ''}
    ${body ? `<h4>Request body (<code>application/json</code>)</h4><p>${typeOf(body)}</p>` : ''}
    <h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses.join('')}</table>
  </section>`;
}

export function renderDocsPage(document: Json): string {
  const operations: string[] = [];
  const index: string[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      operations.push(operationHtml(path, method, op as Json));
      index.push(
        `<li><a href="#op-${escape(op.operationId)}"><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> ${escape(path)}</a> ${escape(op.summary ?? '')}</li>`,
      );
    }
  }
  const schemas = Object.entries((document.components?.schemas ?? {}) as Record<string, Json>).map(
    ([name, schema]) =>
      `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${schema.description ? `<p>${escape(schema.description)}</p>` : ''}${schemaTable(schema)}</section>`,
  );
  const problems = PROBLEM_SLUGS.map(
    (slug) =>
      `<tr id="problem-${slug}"><td><code>/docs#problem-${slug}</code></td><td>${PROBLEM_TYPES[slug].status}</td><td>${escape(PROBLEM_TYPES[slug].title)}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info?.title)} ${escape(document.info?.version)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
  table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
  th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  .op { border-top: 1px solid #ccc; padding-top: .5rem; }
  .method { display: inline-block; min-width: 4rem; font-weight: bold; }
  .get { color: #1a7f37; } .post { color: #0550ae; } .put, .patch { color: #9a6700; } .delete { color: #cf222e; }
  ul { list-style: none; padding: 0; }
</style>
</head>
<body>
<h1>${escape(document.info?.title)} <small>${escape(document.info?.version)}</small></h1>
<p>${escape(document.info?.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escape(document.openapi)}).</p>
<h2>Operations</h2>
<ul>${index.join('\n')}</ul>
${operations.join('\n')}
<h2 id="problems">Problem types</h2>
<p>Every failure is <code>application/problem+json</code> (RFC 7807) with <code>type</code>, <code>title</code>,
<code>status</code>, <code>detail</code>, <code>instance</code> and <code>trace_id</code>; validation failures add <code>errors</code>.</p>
<table><tr><th>type</th><th>status</th><th>title</th></tr>${problems.join('')}</table>
<h2>Schemas</h2>
${schemas.join('\n')}
</body>
</html>
`;
}
