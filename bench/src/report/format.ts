import type { Variant } from '../results-schema.js';

export const VARIANT_LABELS: Record<Variant, string> = {
  uninstrumented: 'uninstrumented',
  upstream: 'upstream auto-instrumentations',
  otelkit: '@otelkit/node',
};

export const samplingLabel = (sampling: number) => `${Number((sampling * 100).toFixed(1))}%`;
export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
export const fixed = (x: number, digits = 0) => x.toFixed(digits);
export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
