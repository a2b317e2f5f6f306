import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CollectorReachability, isReportedExportError } from '../../src/tracing/collector-reachability.js';

const grpcError = (code: number) => Object.assign(new Error(`${code} grpc`), { code });

describe('CollectorReachability', () => {
  it('says once that the collector cannot be reached, once that it answers again, and marks what it told', () => {
    const lines: string[] = [];
    const reachability = new CollectorReachability('http://collector:4317', (line) => lines.push(line));
    reachability.succeeded();
    const errors = [status.UNAVAILABLE, status.UNAVAILABLE, status.DEADLINE_EXCEEDED].map((code) =>
      reachability.failed(grpcError(code)),
    );
    reachability.succeeded();
    reachability.succeeded();
    reachability.failed(grpcError(status.UNAVAILABLE));
    expect(lines).toEqual([
      'otelkit: cannot reach the collector at http://collector:4317; spans are dropped until it answers',
      'otelkit: the collector at http://collector:4317 answers again; spans are exported',
      'otelkit: cannot reach the collector at http://collector:4317; spans are dropped until it answers',
    ]);
    expect(errors.every(isReportedExportError)).toBe(true);
  });

  it('leaves other failures (a collector that rejects the spans) to the SDK error handler', () => {
    const lines: string[] = [];
    const reachability = new CollectorReachability('http://collector:4317', (line) => lines.push(line));
    const rejected = reachability.failed(grpcError(status.INVALID_ARGUMENT));
    expect(lines).toEqual([]);
    expect(isReportedExportError(rejected)).toBe(false);
    expect(isReportedExportError(new Error('other'))).toBe(false);
  });
});
