import { describe, expect, it } from 'vitest';
import { changeOf, counterChanges, logProblems, pipelineCounters } from '../src/gateway/collector-evidence.js';
import { exportErrors, generatedTraces, telemetrygenArgs } from '../src/gateway/telemetrygen-load.js';
import { throttle } from '../src/gateway/throttle.js';
import { waitForQuietMachine } from '../src/quiet-machine.js';

describe('telemetrygen as the gateway benchmark runs it', () => {
  const args = (spansPerSecond: number, status: 'Unset' | 'Error' = 'Unset') =>
    telemetrygenArgs({ endpoint: '127.0.0.1:4317', spansPerSecond, seconds: 20, status });
  const flag = (list: string[], name: string) => list[list.indexOf(name) + 1];

  it('splits the rate over workers of at most 250 spans/s each (--rate is per worker)', () => {
    expect(flag(args(7600), '--workers')).toBe('31');
    expect(Number(flag(args(7600), '--rate')) * 31).toBeCloseTo(7600);
    expect(flag(args(50), '--workers')).toBe('1');
    expect(flag(args(50), '--rate')).toBe('50');
  });

  it('sends traces of a root and 4 children over insecure gRPC for the duration, with the status asked for', () => {
    const a = args(1000, 'Error');
    expect(flag(a, '--child-spans')).toBe('4');
    expect(flag(a, '--duration')).toBe('20s');
    expect(flag(a, '--status-code')).toBe('Error');
    expect(a).toContain('--otlp-insecure');
    expect(a).toContain('http.response.status_code=500');
    expect(args(1000)).toContain('http.response.status_code=200');
  });

  it('loads only 127.0.0.1', () => {
    expect(() =>
      telemetrygenArgs({ endpoint: '10.0.0.1:4317', spansPerSecond: 1, seconds: 1, status: 'Unset' }),
    ).toThrow(/127\.0\.0\.1/);
  });

  it("counts the traces its workers generated and the SDK's export errors", () => {
    const output = [
      '2026-11-26T20:11:28.734Z\tINFO\ttraces/traces.go:125\tgeneration of traces is limited\t{"per-second": 100}',
      '2026-11-26T20:11:30.774Z\tINFO\ttraces/worker.go:180\ttraces generated\t{"worker": 1, "traces": 41}',
      '2026-11-26T20:11:30.774Z\tINFO\ttraces/worker.go:180\ttraces generated\t{"worker": 0, "traces": 40}',
      '2026/11/26 20:11:39 traces export: exporter export timeout: rpc error: code = Unavailable desc = refused',
    ].join('\n');
    expect(generatedTraces(output)).toBe(81);
    expect(exportErrors(output)).toHaveLength(1);
    expect(() => generatedTraces('traces generated {"worker": 0}')).toThrow(/unexpected/);
  });
});

describe("the collectors' own evidence", () => {
  const before = pipelineCounters(
    [
      '# TYPE otelcol_receiver_accepted_spans_total counter',
      'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 100',
      'otelcol_loadbalancer_backend_outcome_total{endpoint="127.0.0.1:1",success="true"} 3',
      'otelcol_process_cpu_seconds_total 5',
    ].join('\n'),
  );
  const after = pipelineCounters(
    [
      'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 2148',
      'otelcol_loadbalancer_backend_outcome_total{endpoint="127.0.0.1:1",success="true"} 4',
      'otelcol_loadbalancer_backend_outcome_total{endpoint="127.0.0.1:1",success="false"} 1',
      'otelcol_loadbalancer_backend_latency_milliseconds_bucket{endpoint="127.0.0.1:1",le="5000"} 2',
      'otelcol_process_cpu_seconds_total 9',
    ].join('\n'),
  );

  it('keeps the pipeline counters and the load balancer latency, not the process metrics', () => {
    expect([...after.keys()].some((k) => k.startsWith('otelcol_process'))).toBe(false);
    expect(after.size).toBe(4);
  });

  it('records what changed, a new series from 0', () => {
    const changes = counterChanges(before, after);
    expect(changeOf(changes, 'otelcol_receiver_accepted_spans_total')).toBe(2048);
    expect(changeOf(changes, 'otelcol_loadbalancer_backend_outcome_total')).toBe(2);
    expect(changeOf(changes, 'otelcol_loadbalancer_backend_outcome_total', 'success="false"')).toBe(1);
    expect(changeOf(changes, 'otelcol_receiver_refused_spans_total')).toBe(0);
  });

  it('counts warnings, errors and failed exports by message and error, not other info lines', () => {
    const retry =
      '2026-11-26T20:19:20.000Z\tinfo\tinternal/retry_sender.go:137\tExporting failed. Will retry the request after interval.\t{"error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded", "interval": "1s"}';
    const log = [
      retry,
      retry,
      '2026-11-26T20:19:21.000Z\tinfo\tservice.go:1\tEverything is ready.',
      '2026-11-26T20:19:22.000Z\twarn\tmemorylimiter.go:1\tMemory usage is above soft limit. Refusing data.\t{"cur_mem_mib": 310}',
    ].join('\n');
    expect(logProblems(log)).toEqual({
      'info Exporting failed. Will retry the request after interval.: rpc error: code = DeadlineExceeded desc = context deadline exceeded': 2,
      'warn Memory usage is above soft limit. Refusing data.': 1,
    });
  });
});

describe('waiting for a quiet machine', () => {
  const clock = (loads: number[]) => {
    let now = 0;
    let i = 0;
    return {
      read: (): [number, number, number] => [loads[Math.min(i++, loads.length - 1)] ?? 0, 0, 0],
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
  };

  it('polls until the 1-minute load average is below the threshold', async () => {
    const wait = await waitForQuietMachine({ below: 0.7, timeoutSeconds: 600, ...clock([3, 1.2, 0.69]) });
    expect(wait).toEqual({ below: 0.7, waitedSeconds: 20, reached: true, loadAverage: [0.69, 0, 0] });
  });

  it('gives up after the timeout and says so', async () => {
    const wait = await waitForQuietMachine({ below: 0.7, timeoutSeconds: 30, ...clock([5]) });
    expect(wait.reached).toBe(false);
    expect(wait.waitedSeconds).toBe(30);
  });
});

describe('throttling a collector', () => {
  it('stops and continues it in each period, and leaves it running when done', async () => {
    const signals: string[] = [];
    const stop = throttle(42, 20, 50, (pid, signal) => signals.push(`${pid} ${signal}`));
    await new Promise((r) => setTimeout(r, 130));
    stop();
    expect(signals[0]).toBe('42 SIGCONT');
    expect(signals.filter((s) => s.endsWith('SIGSTOP')).length).toBeGreaterThanOrEqual(2);
    expect(signals.at(-1)).toBe('42 SIGCONT');
    const count = signals.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(signals).toHaveLength(count);
  });

  it('refuses a share that is not between 0 and 100 %', () => {
    expect(() => throttle(42, 100)).toThrow(/between 0 and 100/);
  });
});
