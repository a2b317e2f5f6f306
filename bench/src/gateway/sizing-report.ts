import { changeOf } from './collector-evidence.js';
import type { SizingResults, SizingStep } from './gateway-sizing.js';

/** What a step gives per unit: the gateway's spans per CPU-second, the agent's cores per 1,000 spans/s. */
export function perUnit(step: SizingStep) {
  return {
    gatewaySpansPerCoreSecond: step.gatewayReceived / step.gateway.cpuSeconds,
    agentCoresPer1000: step.agent.cpuSeconds / (step.acknowledged / 1000),
    gatewayCoresPer1000: step.gateway.cpuSeconds / (step.gatewayReceived / 1000),
  };
}

/** The planning figure: the lowest gateway throughput per core measured (the most cautious). */
export function plannedSpansPerCore(results: SizingResults): number {
  return Math.min(...results.steps.map((s) => perUnit(s).gatewaySpansPerCoreSecond));
}

/** Gateways for a span rate: each at most `target` of its `coresPerGateway`, never fewer than two (the PDB). */
export function gatewaysFor(spansPerSecond: number, spansPerCore: number, coresPerGateway = 2, target = 0.7): number {
  return Math.max(2, Math.ceil(spansPerSecond / spansPerCore / (coresPerGateway * target)));
}

/** The gateway's memory_limiter in the Kubernetes manifests (collector/kubernetes/gateway.yaml): limit and spike. */
export interface MemoryLimits {
  limitMiB: number;
  spikeMiB: number;
}

/**
 * The span rate one gateway can take before its peak RSS reaches the memory_limiter's soft limit (limit - spike,
 * above which it refuses data), on the measured line of memory against rate.
 */
export function spansPerGatewayByMemory(results: SizingResults, limits: MemoryLimits): number {
  const line = memoryLine(results, 'gateway');
  return ((limits.limitMiB - limits.spikeMiB - line.base) / line.perThousand) * 1000;
}

/**
 * Peak resident memory against the span rate, from the lowest and the highest rate of a run: MiB per 1,000 spans/s
 * (the slope) and the base at 0 spans/s. NaN for a run of one rate.
 */
export function memoryLine(results: SizingResults, who: 'agent' | 'gateway'): { perThousand: number; base: number } {
  const [low, high] = [results.steps[0], results.steps.at(-1)];
  if (low === undefined || high === undefined || high === low) return { perThousand: Number.NaN, base: Number.NaN };
  const perSpan = (high[who].peakRssMiB - low[who].peakRssMiB) / (high.spansPerSecond - low.spansPerSecond);
  return { perThousand: perSpan * 1000, base: low[who].peakRssMiB - perSpan * low.spansPerSecond };
}

/** The most cautious agent figure: the highest CPU per 1,000 spans/s measured. */
function agentCoresPer1000(results: SizingResults): number {
  return Math.max(...results.steps.map((s) => perUnit(s).agentCoresPer1000));
}

/** Spans the gateway received more than once: what it accepted beyond what the agent had acknowledged. */
const duplicates = (step: SizingStep) => Math.max(0, step.gatewayReceived - step.acknowledged);

const fixed = (n: number, digits: number) => n.toFixed(digits);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const la = (l: [number, number, number]) => l.map((x) => x.toFixed(2)).join(' / ');
const CLUSTER_RATES = [1_000, 5_000, 10_000, 50_000, 100_000];

function generatorText(results: SizingResults): string {
  return (
    results.generator?.description ??
    'bench/src/gateway/span-load.ts (the Node generator), OTLP/HTTP JSON, traces of 5 spans, 1 in 20 with an error'
  );
}

function quietText(results: SizingResults): string {
  const waits = results.steps.flatMap((s) => (s.quietWait === undefined ? [] : [s.quietWait]));
  if (waits.length === 0) return 'The run did not wait for a quiet machine: its load average is in the last column.';
  const missed = waits.filter((w) => !w.reached).length;
  return (
    `Before each rate the benchmark waited until the 1-minute load average was below ${waits[0]?.below} (at most ` +
    `${Math.max(...waits.map((w) => w.waitedSeconds))} s of waiting were needed${missed > 0 ? `; ${missed} rate(s) ran without reaching it` : ''}); ` +
    'the load averages at the start and the end of each rate are in the last column.'
  );
}

/** The sizing table: gateways (by CPU and by memory) and agent cores for a cluster's span rate. */
function sizingTable(results: SizingResults, limits: MemoryLimits): string {
  const perCore = plannedSpansPerCore(results);
  const byMemory = spansPerGatewayByMemory(results, limits);
  const agent = agentCoresPer1000(results);
  const agentMemory = memoryLine(results, 'agent');
  const rows = CLUSTER_RATES.map((r) => {
    const [cpu, memory] = [gatewaysFor(r, perCore), Math.max(2, Math.ceil(r / byMemory))];
    return `| ${r.toLocaleString('en-US')} | ${fixed(r / perCore, 2)} | ${cpu} | ${memory} | ${Math.max(cpu, memory)} | ${fixed((r / 1000) * agent, 2)} |`;
  });
  return `| spans/s (cluster) | gateway cores | gateways by CPU | gateways by memory | gateways | agent cores in all (at ${fixed(agent * 1000, 0)} millicores per 1,000 spans/s) |
| --: | --: | --: | --: | --: | --: |
${rows.join('\n')}

Planning figures: a gateway handles ${thousands(perCore)} spans per CPU-second (the lowest measured) and is planned at
most 70% of its 2-core limit (${thousands(perCore * 1.4)} spans/s); by memory it takes ${thousands(byMemory)} spans/s
before its peak RSS reaches the soft limit of the manifests' memory_limiter (limit_mib ${limits.limitMiB}, spike
${limits.spikeMiB}: refusing above ${limits.limitMiB - limits.spikeMiB} MiB); never fewer than 2 gateways (the
PodDisruptionBudget keeps one up during voluntary disruptions). An agent costs ${fixed(agent * 1000, 0)} millicores and
${fixed(agentMemory.perThousand, 1)} MiB per 1,000 spans/s of its node, on top of about ${fixed(agentMemory.base, 0)} MiB.`;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** How telemetrygen's figures compare with the Node generator's, as medians over the rates both ran. */
function ratioText(results: SizingResults, node: SizingResults): string {
  const pairs = results.steps.flatMap((s) => {
    const n = node.steps.find((x) => x.spansPerSecond === s.spansPerSecond);
    return n === undefined ? [] : [[perUnit(s), perUnit(n)] as const];
  });
  const gateway = median(pairs.map(([t, n]) => t.gatewayCoresPer1000 / n.gatewayCoresPer1000));
  const agent = median(pairs.map(([t, n]) => t.agentCoresPer1000 / n.agentCoresPer1000));
  const change = (ratio: number) =>
    ratio >= 1 ? `${fixed((ratio - 1) * 100, 0)}% more` : `${fixed((1 - ratio) * 100, 0)}% less`;
  return (
    `that the gateway needs ${change(gateway)} CPU per span under telemetrygen's load than under the Node ` +
    `generator's, and the agent ${change(agent)} (medians over the ${pairs.length} rates)`
  );
}

function comparisonText(results: SizingResults, node: { results: SizingResults; source: string } | undefined): string {
  if (node === undefined || results.generator?.name !== 'telemetrygen') return '';
  const rows = results.steps.map((s) => {
    const n = node.results.steps.find((x) => x.spansPerSecond === s.spansPerSecond);
    const [t, u] = [perUnit(s), n && perUnit(n)];
    const cell = (x: number | undefined, digits = 0) => (x === undefined ? '–' : fixed(x, digits));
    return `| ${s.spansPerSecond} | ${cell(t.gatewaySpansPerCoreSecond)} | ${cell(u?.gatewaySpansPerCoreSecond)} | ${cell(t.agentCoresPer1000 * 1000)} | ${cell(u && u.agentCoresPer1000 * 1000)} | ${s.agent.peakRssMiB} | ${n?.agent.peakRssMiB ?? '–'} |`;
  });
  return `
## telemetrygen and the Node generator

The same benchmark with \`--generator node\` (${generatorText(node.results)}), ${node.results.date.slice(0, 16).replace('T', ' ')} UTC
(${node.source}):

| spans/s | gateway spans per CPU-second (telemetrygen) | (Node) | agent millicores per 1,000 spans/s (telemetrygen) | (Node) | agent peak RSS MiB (telemetrygen) | (Node) |
| --: | --: | --: | --: | --: | --: | --: |
${rows.join('\n')}

Measured on the same machine, the differences are ${ratioText(results, node.results)}. The agent's is the
protocol: it decodes what the generator sent, protobuf over gRPC from telemetrygen (what the OpenTelemetry SDKs
export by default) and JSON over HTTP from the Node generator, which costs more to decode. The gateway decodes the
agent's OTLP/gRPC batches either way, so its difference is the spans themselves (not measured apart): telemetrygen's
carry 5 attributes against 3, and the SDK's batch span processor exports each child span when it ends and the root
span last, often in another request, so the tail sampler adds to a trace more than once, where the Node generator
sends every trace whole in one request. Plan agents with the telemetrygen figures for SDKs that export protobuf, with
the Node column for applications that export JSON; plan gateways with the telemetrygen figures, the more costly.
`;
}

export function renderSizing(
  results: SizingResults,
  source: string,
  limits: MemoryLimits,
  node?: { results: SizingResults; source: string },
): string {
  const rows = results.steps.map((s) => {
    const u = perUnit(s);
    const start = s.quietWait?.loadAverage ?? s.loadAverageStart;
    return `| ${s.spansPerSecond} | ${fixed(s.sent / s.seconds, 0)} | ${s.acknowledged} / ${s.sent} | ${s.gatewayReceived} (${duplicates(s)}) | ${fixed(u.gatewaySpansPerCoreSecond, 0)} | ${fixed(u.gatewayCoresPer1000 * 1000, 0)} | ${s.gateway.peakRssMiB} | ${fixed(u.agentCoresPer1000 * 1000, 0)} | ${s.agent.peakRssMiB} | ${la(start)} → ${la(s.loadAverageEnd)} |`;
  });
  const gatewayMemory = memoryLine(results, 'gateway');
  const high = results.steps.at(-1);
  return `# Gateway sizing

<!-- Generated by \`npm run bench:gateway\` from ${source}. Do not edit by hand. -->

How many gateways (collector/config.gateway.yaml: tail sampling with its default policies, span metrics) a span rate
needs, and what an agent (collector/config.agent.yaml) costs per 1,000 spans/s. Measured by \`npm run bench:gateway\`
(bench/src/gateway/) on ${results.date.slice(0, 16).replace('T', ' ')} UTC, ${results.machine.nproc} CPUs
(${results.machine.cpuModel}): one agent in front of one gateway in front of Jaeger, all on 127.0.0.1. The load:
${generatorText(results)}, each rate for ${results.steps[0]?.seconds ?? 0} s, measured until the gateway had every
acknowledged span and ${results.steps[0]?.settleSeconds ?? 0} s more for its decisions (decision_wait
${results.config.decisionWait}). The figures are CPU time and peak resident memory of each collector process (/proc),
which a busy machine does not inflate the way it inflates wall time. ${quietText(results)} Spans acknowledged are
the agent's own count (otelcol_receiver_accepted_spans_total), spans received the gateway's; a gateway that received
more than the agent acknowledged got some twice (the number in brackets; docs/scaling.md, "Delivered twice").

| spans/s offered | spans/s sent | spans acknowledged / sent | gateway spans received (twice) | gateway spans per CPU-second | gateway millicores per 1,000 spans/s | gateway peak RSS (MiB) | agent millicores per 1,000 spans/s | agent peak RSS (MiB) | load average start → end (1 / 5 / 15 min) |
| --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |
${rows.join('\n')}

## Sizing table

${sizingTable(results, limits)}

A gateway's memory grows with the traces it holds for decision_wait (at rate R about R × 10 s of spans): its peak RSS
grew by about ${fixed(gatewayMemory.perThousand, 1)} MiB per 1,000 spans/s from about ${fixed(gatewayMemory.base, 0)}
MiB, which is what "gateways by memory" divides by. To let a gateway take more, raise OTELCOL_MEMORY_LIMIT_MIB, GOMEMLIMIT
and the container's memory limit together (collector/kubernetes/gateway.yaml). These extrapolate the measured rates (up
to ${high?.spansPerSecond ?? 0} spans/s into one gateway, the highest of this run). The agent's memory hardly grows with
the rate: its queue is on disk, and batches leave as fast as they come while the gateway keeps up.
${comparisonText(results, node)}
The agents' CPU is spread over the nodes: each node's agent carries its own node's spans.
`;
}

/** A run with a collector starved of CPU (`--throttle-gateway`), and how its agent exporter was set. */
function throttledRow(results: SizingResults, source: string): string {
  return results.steps
    .map((s) => {
      const exporter = results.config.agentExporter;
      const queue = (exporter?.sendingQueue ?? {}) as { num_consumers?: number; batch?: { max_size?: number } };
      const agent = s.evidence?.agentCounters ?? {};
      const failed = changeOf(agent, 'otelcol_loadbalancer_backend_outcome_total', 'success="false"');
      const exports = changeOf(agent, 'otelcol_loadbalancer_backend_outcome_total');
      const throttle = results.config.throttle;
      const starved = [
        throttle?.gatewayPercent === undefined ? '' : `gateway ${throttle.gatewayPercent}%`,
        throttle?.agentPercent === undefined ? '' : `agent ${throttle.agentPercent}%`,
      ]
        .filter(Boolean)
        .join(', ');
      const timeouts = `${String(exporter?.timeout ?? '5s (default)')} / ${String(exporter?.otlpTimeout ?? '?')}`;
      return `| ${source} | ${starved} | ${s.spansPerSecond} | ${timeouts} | ${queue.num_consumers ?? '10 (default)'} × ${queue.batch?.max_size ?? '?'} | ${failed} of ${exports} | ${s.acknowledged} | ${s.gatewayReceived} | ${duplicates(s)} (${fixed((100 * duplicates(s)) / s.acknowledged, 1)}%) |`;
    })
    .join('\n');
}

/** docs/scaling.md's generated section: the sizing table of the run and the throttled runs' duplicates. */
export function renderScalingSection(
  results: SizingResults,
  source: string,
  limits: MemoryLimits,
  throttled: Array<{ results: SizingResults; source: string }>,
): string {
  const throttledTable =
    throttled.length === 0
      ? ''
      : `

Runs with the gateway starved of CPU (\`npm run bench:gateway -- --rates 8000 --throttle-gateway 10\`: it may run
10 ms of every 100 ms, as a CPU limit throttles a container), with the agent's exporter as it was set for the run
(its timeout / its per-gateway OTLP exporter's; sending queue consumers × largest batch):

| raw output | starved | spans/s | agent timeouts | consumers × batch | agent exports to the gateway failed | spans acknowledged by the agent | spans accepted by the gateway | delivered twice |
| --- | --- | --: | --- | --- | --: | --: | --: | --: |
${throttled.map((t) => throttledRow(t.results, t.source)).join('\n')}`;
  return `Measured by \`npm run bench:gateway\` (${source}; method and every figure: [gateway-sizing.md](gateway-sizing.md)):

${sizingTable(results, limits)}${throttledTable}`;
}
