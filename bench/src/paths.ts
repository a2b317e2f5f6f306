import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';

/** bench/ (bench/dist/.. ). */
const BENCH_ROOT = join(REPO_ROOT, 'bench');
export const RESULTS_DIR = join(BENCH_ROOT, 'results');
export const COLLECTOR_CONFIG = join(BENCH_ROOT, 'collector.bench.yaml');
export const K6_SCRIPT = join(BENCH_ROOT, 'k6', 'constant-load.ts');
export const SERIES_FIXTURE = join(BENCH_ROOT, 'dist', 'fixtures', 'many-series.js');
export const MODULE_RECORDER = join(BENCH_ROOT, 'dist', 'fixtures', 'module-recorder.js');
export const IMPORT_TIME_FIXTURE = join(BENCH_ROOT, 'dist', 'fixtures', 'import-time.js');
export const BENCHMARKS_DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');
export const THROUGHPUT_SVG = join(REPO_ROOT, 'docs', 'benchmarks-throughput.svg');
