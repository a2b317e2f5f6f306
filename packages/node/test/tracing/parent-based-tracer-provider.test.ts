import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  type ReadableSpan,
  TracerProvider,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parentBasedTracerProvider } from '../../src/tracing/parent-based-tracer-provider.js';
import { followsParentDecision } from '../../src/tracing/sampler.js';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

function setup() {
  const sdk = new TracerProvider({ sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }) });
  return { tracer: parentBasedTracerProvider(sdk).getTracer('test') };
}

const sampledParent = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
const unsampledParent = trace.wrapSpanContext({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 0 });

describe('parentBasedTracerProvider', () => {
  it('hands back a parent that is not recorded instead of starting a child', () => {
    const { tracer } = setup();
    const ctx = trace.setSpan(ROOT_CONTEXT, unsampledParent);
    expect(tracer.startSpan('pg.query', {}, ctx)).toBe(unsampledParent);
    const viaActive = context.with(ctx, () => tracer.startSpan('pg.query'));
    expect(viaActive).toBe(unsampledParent);
    expect(tracer.startActiveSpan('child', (span) => span)).not.toBe(unsampledParent); // no active parent here
    expect(context.with(ctx, () => tracer.startActiveSpan('child', (span) => trace.getActiveSpan() === span))).toBe(
      true,
    );
  });

  it('leaves roots and children of sampled parents to the SDK', () => {
    const { tracer } = setup();
    const child = tracer.startSpan('pg.query', {}, trace.setSpan(ROOT_CONTEXT, sampledParent));
    expect(child.isRecording()).toBe(true);
    expect(child.spanContext().traceId).toBe(sampledParent.spanContext().traceId);
    expect((child as unknown as ReadableSpan).parentSpanContext?.spanId).toBe('b'.repeat(16));
    const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
    expect(root.isRecording()).toBe(false); // ratio 0
    expect(root).not.toBe(unsampledParent);
    const forcedRoot = tracer.startSpan('root', { root: true }, trace.setSpan(ROOT_CONTEXT, unsampledParent));
    expect(forcedRoot.spanContext().traceId).not.toBe(unsampledParent.spanContext().traceId);
  });

  it('is used only with samplers that follow the parent decision', () => {
    expect(followsParentDecision('parentbased_traceidratio')).toBe(true);
    expect(followsParentDecision('parentbased_always_on')).toBe(true);
    expect(followsParentDecision('always_off')).toBe(true);
    expect(followsParentDecision('traceidratio')).toBe(false);
    expect(followsParentDecision('always_on')).toBe(false);
    // why: a non-parent-based sampler may record a child of an unrecorded parent
    const sdk = new TracerProvider({ sampler: new AlwaysOnSampler() });
    expect(sdk.getTracer('t').startSpan('c', {}, trace.setSpan(ROOT_CONTEXT, unsampledParent)).isRecording()).toBe(
      true,
    );
  });
});
