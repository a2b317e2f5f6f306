import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { SAMPLERS } from '../../src/config/types.js';
import { createSampler } from '../../src/tracing/sampler.js';

const decide = (name: (typeof SAMPLERS)[number], ratio: number, traceId: string) =>
  createSampler(name, ratio).shouldSample(ROOT_CONTEXT, traceId, 'span', SpanKind.SERVER, {}, []).decision;

describe('createSampler', () => {
  it('builds every sampler of OTEL_TRACES_SAMPLER', () => {
    for (const name of SAMPLERS) expect(createSampler(name, 0.5).toString()).toBeTruthy();
  });
  it('samples roots by trace-id ratio', () => {
    // 4,000 trace ids spread evenly over the 56 random bits the ratio sampler reads.
    const ids = Array.from({ length: 4000 }, (_, i) =>
      (BigInt(i) * (2n ** 56n / 4000n)).toString(16).padStart(32, '0'),
    );
    const sampled = (name: (typeof SAMPLERS)[number], ratio: number) =>
      ids.filter((id) => decide(name, ratio, id) === SamplingDecision.RECORD_AND_SAMPLED).length / ids.length;
    expect(sampled('parentbased_traceidratio', 0.1)).toBeCloseTo(0.1, 2);
    expect(sampled('traceidratio', 0.5)).toBeCloseTo(0.5, 2);
    expect(sampled('parentbased_always_on', 0)).toBe(1);
    expect(sampled('always_off', 1)).toBe(0);
  });
});
