import { createRequire } from 'node:module';

/** The instrumentation scope of the spans otelkit creates itself (the HTTP server spans): this package. */
export const INSTRUMENTATION_SCOPE: { readonly name: string; readonly version: string } = {
  name: '@otelkit/node',
  version: (createRequire(import.meta.url)('../package.json') as { version: string }).version,
};
