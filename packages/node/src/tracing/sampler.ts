import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { SamplerName } from '../config/types.js';

/** The sampler named by OTEL_TRACES_SAMPLER, with OTEL_TRACES_SAMPLER_ARG as ratio where it applies. */
export function createSampler(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * Whether a span under a parent that is not recorded is never recorded either (the parent-based samplers, and
 * always_off): then instrumentations need no span of their own under such a parent (parentBasedTracerProvider).
 */
export function followsParentDecision(name: SamplerName): boolean {
  return name.startsWith('parentbased_') || name === 'always_off';
}
