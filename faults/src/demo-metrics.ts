import { labelOf, sumOf } from '@otelkit/testkit';
import { METRICS } from '@otelkit/node/names';

/** Spans the demo's SDK dropped so far: processed spans counted with an `error_type` (export error, queue_full). */
export const droppedSpans = (metrics: string) =>
  sumOf(metrics, METRICS.sdkSpansProcessed, (line) => labelOf(line, 'error_type') !== undefined);

/** Spans the demo's exporter delivered so far (export results without an `error_type`). */
export const exportedSpans = (metrics: string) =>
  sumOf(metrics, METRICS.sdkSpansExported, (line) => labelOf(line, 'error_type') === undefined);

/** The process' resident memory in bytes. */
export const residentMemory = (metrics: string) => sumOf(metrics, METRICS.processResidentMemory);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
