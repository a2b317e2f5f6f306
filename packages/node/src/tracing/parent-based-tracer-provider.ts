import {
  type Context,
  context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  TraceFlags,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/**
 * The tracer provider the instrumentations get (pg, undici, http client, ...) when the sampler is parent-based:
 * under a parent span that is neither recorded nor sampled, a child would not be recorded either, so `startSpan` hands back the
 * parent itself (a non-recording span: every call on it is a no-op) instead of asking the SDK for a new
 * non-recording span. That skips, for every child operation of an unsampled request, the SDK's id generation,
 * sampler call and attribute cleaning. Propagation still carries the request's trace id and unsampled flag;
 * the parent id sent downstream is the request span's, which no backend holds either way. Root spans and children
 * of recorded spans are the SDK's, unchanged.
 */
export function parentBasedTracerProvider(provider: TracerProvider): TracerProvider {
  return {
    getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
      return new ParentBasedTracer(provider.getTracer(name, version, options));
    },
  };
}

class ParentBasedTracer implements Tracer {
  constructor(private readonly tracer: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    if (options?.root !== true) {
      const parent = trace.getSpan(ctx);
      // not recorded and not sampled: a remote parent (a propagated context) is never recorded here, but its sampled
      // flag still asks for children
      if (
        parent !== undefined &&
        !parent.isRecording() &&
        (parent.spanContext().traceFlags & TraceFlags.SAMPLED) === 0
      ) {
        return parent;
      }
    }
    return this.tracer.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const ctx = rest.length > 2 ? (rest[1] as Context) : context.active();
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn as (s: Span) => ReturnType<F>, undefined, span);
  }
}
