import { describe, expect, it } from 'vitest';
import { UNSUPPORTED_VARIABLES, unsupportedVariableWarnings } from '../../src/config/unsupported-variables.js';

describe('unsupportedVariableWarnings', () => {
  it('warns once per unsupported standard variable, naming it, its value and what otelkit does instead', () => {
    const warnings = unsupportedVariableWarnings({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_PROPAGATORS: 'b3',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem',
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_TRACES_EXPORTER: 'otlp',
    });
    expect(warnings).toHaveLength(5);
    expect(warnings).toContain(
      'otelkit: OTEL_METRICS_EXPORTER="otlp" is not supported and is ignored; otelkit serves metrics for Prometheus ' +
        'to scrape on /metrics (OTEL_EXPORTER_PROMETHEUS_HOST/PORT).',
    );
    expect(warnings.some((w) => w.startsWith('otelkit: OTEL_PROPAGATORS="b3"'))).toBe(true);
  });

  it('stays silent for values that say what otelkit does anyway, and for empty values', () => {
    expect(
      unsupportedVariableWarnings({
        OTEL_PROPAGATORS: 'baggage, tracecontext',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_ATTRIBUTE_COUNT_LIMIT: '',
      }),
    ).toEqual([]);
  });

  it('covers the variables the issue names and none that otelkit reads', () => {
    for (const name of [
      'OTEL_METRICS_EXPORTER',
      'OTEL_PROPAGATORS',
      'OTEL_NODE_RESOURCE_DETECTORS',
      'OTEL_LOGS_EXPORTER',
    ]) {
      expect(UNSUPPORTED_VARIABLES).toContain(name);
    }
    for (const read of [
      'OTEL_TRACES_EXPORTER',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_BSP_MAX_QUEUE_SIZE',
      'OTEL_LOG_LEVEL',
    ]) {
      expect(UNSUPPORTED_VARIABLES).not.toContain(read);
    }
  });
});
