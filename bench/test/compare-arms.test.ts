import { describe, expect, it } from 'vitest';
import { parseArm, parseArms, parseEnvAssignments } from '../src/compare/arms.js';

describe('bench:compare arms', () => {
  it('reads name=variant and KEY=value settings (values may contain =)', () => {
    expect(parseArm('nolog=otelkit,OTELKIT_REQUEST_LOG=false,OTEL_RESOURCE_ATTRIBUTES=a=b')).toEqual({
      name: 'nolog',
      variant: 'otelkit',
      env: { OTELKIT_REQUEST_LOG: 'false', OTEL_RESOURCE_ATTRIBUTES: 'a=b' },
    });
    expect(parseArm('old=otelkit,OTEL_NODE_ENABLED_INSTRUMENTATIONS=http\\,express,A=b').env).toEqual({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express',
      A: 'b',
    });
    expect(parseArm('base=uninstrumented')).toEqual({ name: 'base', variant: 'uninstrumented', env: {} });
  });

  it('names the bad part of a malformed arm', () => {
    expect(() => parseArm('otelkit')).toThrow(/expected name=variant/);
    expect(() => parseArm('a=datadog')).toThrow(
      /unknown variant "datadog" \(one of uninstrumented, upstream, otelkit\)/,
    );
    expect(() => parseArm('a=otelkit,NOVALUE')).toThrow(/"NOVALUE" is not KEY=value/);
    expect(() => parseArm('a=otelkit,lower=1')).toThrow(/"lower=1" is not KEY=value/);
  });

  it('needs two arms with distinct names', () => {
    expect(() => parseArms(['a=otelkit'])).toThrow(/at least two/);
    expect(() => parseArms(['a=otelkit', 'a=upstream'])).toThrow(/"a" is used twice/);
    expect(parseArms(['a=otelkit', 'b=upstream']).map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('reads --env assignments for bench:profile', () => {
    expect(parseEnvAssignments(['A=1', 'B='])).toEqual({ A: '1', B: '' });
    expect(() => parseEnvAssignments(['=1'])).toThrow(/"=1" is not KEY=value/);
  });
});
