/**
 * helm-values/cert-manager.yaml: cert-manager with its CRDs, and its Gateway API support on, so the ACME HTTP-01
 * solver of the demo chart's Issuer can answer challenges through an HTTPRoute on the chart's Gateway (edge.yaml).
 */
export function certManagerValues(): Record<string, unknown> {
  return {
    crds: { enabled: true },
    config: {
      apiVersion: 'controller.config.cert-manager.io/v1alpha1',
      kind: 'ControllerConfiguration',
      enableGatewayAPI: true,
    },
  };
}
