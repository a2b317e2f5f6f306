import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as far as routing it to a validator goes. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** The objects of a multi-document YAML text (empty documents skipped); a YAML error names the source. */
export function parseManifests(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    if (value === null) return [];
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error(`${source}: a document without apiVersion/kind`);
    }
    return [value];
  });
}

export function readManifests(path: string): K8sObject[] {
  return parseManifests(readFileSync(path, 'utf8'), path);
}

/** Custom resources are those of an API group with a dot that is not Kubernetes' own (`*.k8s.io`). */
export function isCustomResource(object: K8sObject): boolean {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}
