// Prints vitest's JSON report as one plain closing line: "vitest: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`vitest: no report at ${file}; 0 passed, 1 failed`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'failed') console.log(`FAILED: ${test.fullName} (${suite.name})`);
  }
}
console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 ? 1 : 0);
