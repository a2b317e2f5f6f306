/**
 * Validates custom resources against the openAPIV3Schema of their CRD (the vendored CRDs of the pinned charts),
 * strictly: an object schema that neither lists `additionalProperties` nor preserves unknown fields rejects unknown
 * keys, as `kubectl apply` does with its default strict field validation (the API server would otherwise drop a
 * misspelled field without a word).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { K8sObject } from './manifests.js';

type Schema = Record<string, unknown>;

/** Helm-templated CRD files (the operator chart's): template lines dropped, inline expressions made inert. */
function parseCrdText(text: string): unknown {
  const lines = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('{{'))
    .map((line) => line.replace(/\{\{.*?\}\}/g, 'templated'));
  return parse(lines.join('\n'));
}

/** The schema with unknown fields forbidden wherever Kubernetes would prune them, and its x-kubernetes-* markers. */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-')) continue;
    out[key] =
      key === 'properties' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, strictSchema(v)]))
        : strictSchema(value);
  }
  const preserves = source['x-kubernetes-preserve-unknown-fields'] === true;
  if (source.properties && source.additionalProperties === undefined && !preserves) out.additionalProperties = false;
  return out;
}

/**
 * CRD patterns are Go regular expressions: an inline `(?i)` (anywhere; the CRDs put it after `^`) becomes JavaScript's
 * `i` flag for the whole pattern, which is what the CRDs mean by it.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags),
  { code: 'goRegExp' },
);

export class CustomResourceValidator {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    code: { regExp: goRegExp },
  });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdPaths: readonly string[]) {
    for (const path of crdPaths) {
      const crd = parseCrdText(readFileSync(path, 'utf8')) as {
        spec: {
          group: string;
          names: { kind: string };
          versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }>;
        };
      };
      for (const version of crd.spec.versions) {
        const schema = strictSchema(version.schema.openAPIV3Schema) as Schema;
        // The API server fills apiVersion/kind/metadata itself; metadata's own schema is Kubernetes', not the CRD's.
        const properties = (schema.properties ?? {}) as Schema;
        properties.metadata = { type: 'object' };
        this.validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, this.ajv.compile(schema));
      }
    }
  }

  /** The kinds it can validate, as `group/version/Kind`. */
  kinds(): string[] {
    return [...this.validators.keys()].sort();
  }

  /** Schema errors of a custom resource (empty when valid); an error when no CRD defines its kind. */
  validate(object: K8sObject): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    const validate = this.validators.get(key);
    if (!validate) throw new Error(`no CRD for ${key} (known: ${this.kinds().join(', ')})`);
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    );
  }
}
