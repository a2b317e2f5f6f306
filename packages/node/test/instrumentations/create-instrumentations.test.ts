import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { describe, expect, it } from 'vitest';
import { createInstrumentations, ignoredExpressLayers } from '../../src/instrumentations/create-instrumentations.js';

const hooks = (expressLayerSpans: boolean) => ({
  ignoreIncomingRequest: () => false,
  responseHook: () => {},
  upstreamHttpServer: false,
  expressLayerSpans,
});

describe('createInstrumentations', () => {
  it('gives Express no span of its own by default, router and request-handler spans on request', () => {
    expect(ignoredExpressLayers(false).sort()).toEqual(Object.values(ExpressLayerType).sort());
    expect(ignoredExpressLayers(true)).toEqual([ExpressLayerType.MIDDLEWARE]);
  });

  it('configures the express instrumentation with those layers', () => {
    for (const layerSpans of [false, true]) {
      const [express] = createInstrumentations(new Set(['express']), hooks(layerSpans));
      expect(express).toBeInstanceOf(ExpressInstrumentation);
      expect((express as ExpressInstrumentation).getConfig().ignoreLayersType).toEqual(
        ignoredExpressLayers(layerSpans),
      );
      express?.disable();
    }
  });

  it('keeps pino log correlation but not its log sending (no logger provider would receive it)', () => {
    const [pino] = createInstrumentations(new Set(['pino']), hooks(false));
    expect(pino).toBeInstanceOf(PinoInstrumentation);
    expect((pino as PinoInstrumentation).getConfig()).toMatchObject({ disableLogSending: true });
    expect((pino as PinoInstrumentation).getConfig().disableLogCorrelation).not.toBe(true);
    pino?.disable();
  });
});
