#!/usr/bin/env node
/**
 * The API report of @otelkit/node: one `api/<entry>.api.md` per entry point of package.json's `exports`, written by
 * @microsoft/api-extractor from the built declarations (run `npm run build` first).
 *
 *   node scripts/api-report.mjs           fails when a report differs from the committed one (npm test)
 *   node scripts/api-report.mjs --update  rewrites the reports (npm run api:update), for review with the change
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const update = process.argv.includes('--update');

/** `./register` -> `register`; `.` -> `index`; only entries with declarations (not ./package.json). */
const entries = Object.entries(packageJson.exports)
  .filter(([, target]) => typeof target === 'object' && target.types)
  .map(([subpath, target]) => ({ name: subpath === '.' ? 'node' : `node-${subpath.slice(2)}`, types: target.types }));

let failed = false;
for (const { name, types } of entries) {
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(packageDir, `api-extractor.${name}.json`),
    packageJsonFullPath: join(packageDir, 'package.json'),
    configObject: {
      projectFolder: packageDir,
      mainEntryPointFilePath: join(packageDir, types),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            skipLibCheck: true,
          },
          files: [join(packageDir, types)],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${name}.api.md`,
        reportFolder: join(packageDir, 'api'),
        reportTempFolder: join(packageDir, 'dist', 'api-report'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // otelkit does not tag releases (@public/@beta): everything exported is public
          'ae-missing-release-tag': { logLevel: 'none' },
          // each export's purpose is documented in README.md; members are documented where it helps
          'ae-undocumented': { logLevel: 'none' },
          // a type used by an export but not exported itself is written into the report, where review sees it
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (!result.succeeded) {
    failed = true;
    process.stderr.write(
      result.apiReportChanged
        ? `api/${name}.api.md differs from the built API: review the change, then \`npm run api:update\`\n`
        : `api-extractor failed for ${types} (${result.errorCount} errors, ${result.warningCount} warnings)\n`,
    );
  }
}
process.exit(failed ? 1 : 0);
