import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManagedProcess } from '@otelkit/native-runtime';
import {
  freeCollectorPorts,
  freeStackPorts,
  gatewayProcess,
  jaeger as jaegerProcess,
  localAgentProcess,
  type StackContext,
} from '@otelkit/stack';
import { cpuTimeMs, loadAverage, rssBytes } from '../proc-stats.js';

/** One rate of the benchmark, as measured. */
export interface SizingStep {
  spansPerSecond: number;
  seconds: number;
  /** Seconds measured after the agent delivered the last span, so the gateway's decisions fall into the window. */
  settleSeconds: number;
  sent: number;
  acknowledged: number;
  /** Spans the gateway received (its own otelcol_receiver_accepted_spans_total). */
  gatewayReceived: number;
  loadAverageStart: [number, number, number];
  loadAverageEnd: [number, number, number];
  agent: { cpuSeconds: number; peakRssMiB: number };
  gateway: { cpuSeconds: number; peakRssMiB: number };
}

export interface SizingResults {
  date: string;
  machine: { nproc: number; cpuModel: string };
  config: { decisionWait: string; baselinePercent: number; spansPerTrace: number };
  steps: SizingStep[];
}

const MiB = 1024 * 1024;

/** The sum of a collector's otelcol_receiver_accepted_spans_total series, from its Prometheus endpoint. */
async function acceptedSpans(url: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((line) => /^otelcol_receiver_accepted_spans_total[ {]/.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
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
 * it (collector/config.agent.yaml with a static resolver), on 127.0.0.1; OTLP load at each rate into the agent. The
 * figures are CPU time and memory of each collector process (from /proc), so they hold on a busy machine too; the
 * load average is recorded with each step.
 */
export async function runGatewaySizing(options: {
  rates: number[];
  seconds: number;
  settleSeconds: number;
  log: (line: string) => void;
  send: (endpoint: string, spansPerSecond: number, seconds: number) => Promise<{ sent: number; acknowledged: number }>;
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
    const agent = localAgentProcess({
      name: 'agent',
      ports: agentPorts,
      dir: join(dir, 'agent'),
      gateways: [`127.0.0.1:${gatewayPorts.otlpGrpc}`],
    });
    await agent.start();
    processes.push(agent);
    const received = () => acceptedSpans(`http://127.0.0.1:${gatewayPorts.metrics}/metrics`);

    const steps: SizingStep[] = [];
    for (const rate of options.rates) {
      const loadAverageStart = loadAverage();
      const receivedBefore = await received();
      const cpu0 = { agent: cpuTimeMs(pidOf(agent)), gateway: cpuTimeMs(pidOf(gateway)) };
      const rss = { agent: peakRss(pidOf(agent)), gateway: peakRss(pidOf(gateway)) };
      options.log(`${rate} spans/s for ${options.seconds} s (load average ${loadAverageStart.join(' ')})`);
      const { sent, acknowledged } = await options.send(
        `http://127.0.0.1:${agentPorts.otlpHttp}`,
        rate,
        options.seconds,
      );
      // The agent may lag behind on a busy machine: measure until the gateway has everything (retries may deliver
      // some spans twice, so at least as many), then the decisions.
      const drained = Date.now() + 120_000;
      for (let n = 0; (await received()) - receivedBefore < acknowledged && Date.now() < drained; n++) {
        if (n % 20 === 0)
          options.log(`  draining: the gateway has ${(await received()) - receivedBefore} of ${acknowledged}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await new Promise((r) => setTimeout(r, options.settleSeconds * 1000));
      const step: SizingStep = {
        spansPerSecond: rate,
        seconds: options.seconds,
        settleSeconds: options.settleSeconds,
        sent,
        acknowledged,
        gatewayReceived: (await received()) - receivedBefore,
        loadAverageStart,
        loadAverageEnd: loadAverage(),
        agent: { cpuSeconds: (cpuTimeMs(pidOf(agent)) - cpu0.agent) / 1000, peakRssMiB: rss.agent() },
        gateway: { cpuSeconds: (cpuTimeMs(pidOf(gateway)) - cpu0.gateway) / 1000, peakRssMiB: rss.gateway() },
      };
      options.log(
        `  acknowledged ${acknowledged} of ${sent}; agent ${step.agent.cpuSeconds.toFixed(1)} CPU-s, ` +
          `gateway ${step.gateway.cpuSeconds.toFixed(1)} CPU-s, ${step.gatewayReceived} spans received`,
      );
      steps.push(step);
    }
    return {
      date: new Date().toISOString(),
      machine: { nproc: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown' },
      config: { decisionWait: '10s', baselinePercent: 10, spansPerTrace: 5 },
      steps,
    };
  } finally {
    for (const p of processes.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
