import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedProcess, REPO_ROOT, toolBinary } from '@otelkit/native-runtime';
import {
  agentGatewayExporter,
  freeCollectorPorts,
  freeStackPorts,
  gatewayProcess,
  jaeger as jaegerProcess,
  localAgentConfig,
  localAgentProcess,
  type StackContext,
} from '@otelkit/stack';
import { scrapeText } from '@otelkit/testkit';
import { cpuTimeMs, loadAverage, rssBytes } from '../proc-stats.js';
import { type QuietWait, waitForQuietMachine } from '../quiet-machine.js';
import { changeOf, counterChanges, logProblems, pipelineCounters } from './collector-evidence.js';
import { throttle } from './throttle.js';

/** One rate of the benchmark, as measured. */
export interface SizingStep {
  spansPerSecond: number;
  seconds: number;
  /** Seconds measured after the agent delivered the last span, so the gateway's decisions fall into the window. */
  settleSeconds: number;
  /** Spans the generator produced. */
  sent: number;
  /**
   * Spans acknowledged to the generator: the agent's own otelcol_receiver_accepted_spans_total (telemetrygen), or the
   * OTLP/HTTP responses that were 2xx (the Node generator).
   */
  acknowledged: number;
  /** Spans the gateway received (its own otelcol_receiver_accepted_spans_total). */
  gatewayReceived: number;
  /** The wait for a quiet machine before the step (runs before 2026-11-26 20:00 UTC have none). */
  quietWait?: QuietWait;
  loadAverageStart: [number, number, number];
  loadAverageEnd: [number, number, number];
  agent: { cpuSeconds: number; peakRssMiB: number };
  gateway: { cpuSeconds: number; peakRssMiB: number };
  /**
   * The evidence behind the counts: each collector's pipeline counters that changed during the step
   * (collector-evidence.ts), its warnings and errors, and the generator's export errors.
   */
  evidence?: {
    agentCounters: Record<string, number>;
    gatewayCounters: Record<string, number>;
    agentProblems: Record<string, number>;
    gatewayProblems: Record<string, number>;
    generatorErrors: string[];
  };
}

/** The load generator of a run. */
export interface SizingGenerator {
  /** `telemetrygen`, or `node-otlp-json` (bench/src/gateway/span-load.ts). */
  name: 'telemetrygen' | 'node-otlp-json';
  /** telemetrygen's version (tools/versions.env). */
  version?: string;
  /** What it sends, in words. */
  description: string;
}

export interface SizingResults {
  date: string;
  machine: { nproc: number; cpuModel: string };
  /** `otelcol-otelkit --version` and the commit measured (runs before telemetrygen have none). */
  versions?: { collector: string; gitSha: string; gitDirty: boolean };
  /** Runs before telemetrygen have none: they used the Node generator. */
  generator?: SizingGenerator;
  config: {
    decisionWait: string;
    baselinePercent: number;
    spansPerTrace: number;
    /** Collectors starved of CPU on purpose (throttle.ts): the share of every 100 ms each may run. Not a sizing run. */
    throttle?: Throttling;
    /**
     * The agent's load_balancing exporter as run (collector/config.agent.yaml): its own timeout (`timeout`, unset:
     * the exporter helper's default, 5 s) and its per-gateway OTLP exporter's (`protocol.otlp.timeout`), its sending
     * queue (num_consumers unset: the default, 10) and retry settings.
     */
    agentExporter?: { timeout: unknown; otlpTimeout?: unknown; sendingQueue: unknown; retryOnFailure: unknown };
  };
  steps: SizingStep[];
}

/** `--throttle-gateway` / `--throttle-agent`: percent of every 100 ms that the collector may run (throttle.ts). */
export interface Throttling {
  gatewayPercent?: number;
  agentPercent?: number;
}

/** What a generator did in one step: spans sent; spans acknowledged when it knows (else the agent's count is used). */
export interface SendOutcome {
  sent: number;
  acknowledged?: number;
  errors?: string[];
}

/** Where a generator sends: the agent's OTLP receivers. */
export interface AgentEndpoints {
  /** `127.0.0.1:<port>` */
  otlpGrpc: string;
  /** `http://127.0.0.1:<port>` */
  otlpHttp: string;
}

const MiB = 1024 * 1024;

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const ACCEPTED = 'otelcol_receiver_accepted_spans_total';
const SENT = 'otelcol_exporter_sent_spans_total';

/** A collector's pipeline counters, from its Prometheus endpoint. */
const counters = async (url: string) => pipelineCounters(await scrapeText(url));

/** A collector's log from `offset` on (its ManagedProcess logFile), and the new end. */
function logSince(process: ManagedProcess, offset: number): { text: string; end: number } {
  const file = process.options.logFile;
  if (file === undefined) return { text: '', end: 0 };
  const all = readFileSync(file);
  return { text: all.subarray(offset).toString('utf8'), end: all.length };
}

/** Samples a process's RSS every 500 ms; returns the peak when stopped. */
function peakRss(pid: number): () => number {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 500);
  return () => {
    clearInterval(timer);
    return Math.round((peak / MiB) * 10) / 10;
  };
}

const pidOf = (p: ManagedProcess) => {
  if (p.pid === undefined) throw new Error(`${p.options.name} is not running`);
  return p.pid;
};

/**
 * Jaeger, one gateway (collector/config.gateway.yaml, tail sampling on with its defaults) and one agent in front of
 * it (collector/config.agent.yaml with a static resolver), on 127.0.0.1; OTLP load at each rate into the agent. Each
 * step waits for a quiet machine first (`quiet`). The figures are CPU time and memory of each collector process
 * (from /proc), so they hold on a busy machine too; the load average is recorded with each step.
 */
export async function runGatewaySizing(options: {
  rates: number[];
  seconds: number;
  settleSeconds: number;
  /** Before each step: wait until the 1-minute load average is below `below`, at most `timeoutSeconds`. */
  quiet: { below: number; timeoutSeconds: number };
  generator: SizingGenerator;
  /** Starve the collectors of CPU during each step (reproducing an overloaded tier; not for sizing figures). */
  throttle?: Throttling;
  log: (line: string) => void;
  send: (agent: AgentEndpoints, spansPerSecond: number, seconds: number) => Promise<SendOutcome>;
}): Promise<SizingResults> {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-bench-gateway-'));
  const ctx: StackContext = { ports: await freeStackPorts(), dir };
  const processes: ManagedProcess[] = [];
  try {
    const jaeger = jaegerProcess(ctx);
    await jaeger.start();
    processes.push(jaeger);
    const gatewayPorts = await freeCollectorPorts();
    const gateway = gatewayProcess({
      name: 'gateway',
      ports: gatewayPorts,
      dir: join(dir, 'gateway'),
      jaegerOtlpGrpc: `127.0.0.1:${ctx.ports.jaegerOtlpGrpc}`,
      prometheusRemoteWrite: 'http://127.0.0.1:9/api/v1/write', // nothing listens: the export fails, cheaply
    });
    await gateway.start();
    processes.push(gateway);
    const agentPorts = await freeCollectorPorts();
    const gateways = [`127.0.0.1:${gatewayPorts.otlpGrpc}`];
    const agent = localAgentProcess({ name: 'agent', ports: agentPorts, dir: join(dir, 'agent'), gateways });
    const exporter = agentGatewayExporter(localAgentConfig(gateways));
    await agent.start();
    processes.push(agent);
    const metrics = {
      agent: `http://127.0.0.1:${agentPorts.metrics}/metrics`,
      gateway: `http://127.0.0.1:${gatewayPorts.metrics}/metrics`,
    };
    const logOffsets = { agent: logSince(agent, 0).end, gateway: logSince(gateway, 0).end };

    const steps: SizingStep[] = [];
    for (const rate of options.rates) {
      const quietWait = await waitForQuietMachine({ ...options.quiet, log: options.log });
      const loadAverageStart = loadAverage();
      const before = { agent: await counters(metrics.agent), gateway: await counters(metrics.gateway) };
      const changes = async () => ({
        agent: counterChanges(before.agent, await counters(metrics.agent)),
        gateway: counterChanges(before.gateway, await counters(metrics.gateway)),
      });
      const cpu0 = { agent: cpuTimeMs(pidOf(agent)), gateway: cpuTimeMs(pidOf(gateway)) };
      const rss = { agent: peakRss(pidOf(agent)), gateway: peakRss(pidOf(gateway)) };
      options.log(
        `${rate} spans/s for ${options.seconds} s (load average ${loadAverageStart.join(' ')}` +
          `${quietWait.reached ? '' : `: not below ${quietWait.below} after ${quietWait.waitedSeconds} s`})`,
      );
      const throttled = [
        options.throttle?.gatewayPercent === undefined
          ? []
          : [throttle(pidOf(gateway), options.throttle.gatewayPercent)],
        options.throttle?.agentPercent === undefined ? [] : [throttle(pidOf(agent), options.throttle.agentPercent)],
      ].flat();
      let outcome: SendOutcome;
      let acknowledged: number;
      try {
        outcome = await options.send(
          { otlpGrpc: `127.0.0.1:${agentPorts.otlpGrpc}`, otlpHttp: `http://127.0.0.1:${agentPorts.otlpHttp}` },
          rate,
          options.seconds,
        );
        acknowledged = outcome.acknowledged ?? changeOf((await changes()).agent, ACCEPTED);
        // The agent may lag behind on a busy machine: measure until the agent has sent everything it acknowledged
        // and the gateway has it (retries may deliver some spans twice, so at least as many), then the decisions.
        const delivered = async () => {
          const now = await changes();
          return { agent: changeOf(now.agent, SENT), gateway: changeOf(now.gateway, ACCEPTED) };
        };
        const drained = Date.now() + 120_000;
        for (let n = 0; Date.now() < drained; n++) {
          const { agent: sent, gateway: has } = await delivered();
          if (sent >= acknowledged && has >= acknowledged) break;
          if (n % 20 === 0)
            options.log(`  draining: the agent has sent ${sent}, the gateway has ${has} of ${acknowledged}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        await new Promise((r) => setTimeout(r, options.settleSeconds * 1000));
      } finally {
        for (const stop of throttled) stop();
      }
      const after = await changes();
      const logs = { agent: logSince(agent, logOffsets.agent), gateway: logSince(gateway, logOffsets.gateway) };
      logOffsets.agent = logs.agent.end;
      logOffsets.gateway = logs.gateway.end;
      const step: SizingStep = {
        spansPerSecond: rate,
        seconds: options.seconds,
        settleSeconds: options.settleSeconds,
        sent: outcome.sent,
        acknowledged,
        gatewayReceived: changeOf(after.gateway, ACCEPTED),
        quietWait,
        loadAverageStart,
        loadAverageEnd: loadAverage(),
        agent: { cpuSeconds: (cpuTimeMs(pidOf(agent)) - cpu0.agent) / 1000, peakRssMiB: rss.agent() },
        gateway: { cpuSeconds: (cpuTimeMs(pidOf(gateway)) - cpu0.gateway) / 1000, peakRssMiB: rss.gateway() },
        evidence: {
          agentCounters: after.agent,
          gatewayCounters: after.gateway,
          agentProblems: logProblems(logs.agent.text),
          gatewayProblems: logProblems(logs.gateway.text),
          generatorErrors: outcome.errors ?? [],
        },
      };
      options.log(
        `  acknowledged ${acknowledged} of ${outcome.sent}; agent ${step.agent.cpuSeconds.toFixed(1)} CPU-s, ` +
          `gateway ${step.gateway.cpuSeconds.toFixed(1)} CPU-s, ${step.gatewayReceived} spans received`,
      );
      steps.push(step);
    }
    return {
      date: new Date().toISOString(),
      machine: { nproc: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown' },
      versions: {
        collector: run(toolBinary('otelcol-otelkit'), ['--version']),
        gitSha: run('git', ['rev-parse', 'HEAD']),
        gitDirty: run('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
      },
      generator: options.generator,
      config: {
        decisionWait: '10s',
        baselinePercent: 10,
        spansPerTrace: 5,
        ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
        agentExporter: {
          timeout: exporter.timeout ?? null,
          otlpTimeout: exporter.protocol?.otlp?.timeout,
          sendingQueue: exporter.sending_queue,
          retryOnFailure: exporter.retry_on_failure,
        },
      },
      steps,
    };
  } finally {
    for (const p of processes.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
