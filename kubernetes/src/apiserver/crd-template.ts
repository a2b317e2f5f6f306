/**
 * A CRD file as an API server can install it without the chart it comes from. Some charts ship their CRDs as Helm
 * templates (the opentelemetry-operator chart's OpenTelemetryCollector CRD): its `{{- if .Values.admissionWebhooks.* }}`
 * blocks configure a conversion webhook served by the operator, which does not run here, so they are dropped (the
 * CRD then converts between versions with the default `None` strategy); every other template line (`{{- if
 * .Values.crds.create }}`, the cert-manager annotation, `{{- with ...}}`) is dropped too. Plain YAML is unchanged.
 */
export function crdWithoutTemplates(text: string): string {
  const kept: string[] = [];
  let skipDepth = 0;
  for (const line of text.split('\n')) {
    // a line that is one block action (`{{- if ... }}`, `{{- end }}`); `{{ if x }}...{{ end }}` on one line is not
    const directive = /^\s*\{\{-?\s*(if|with|range|end)\b[^}]*\}\}\s*$/.exec(line)?.[1];
    if (skipDepth > 0) {
      if (directive === 'end') skipDepth--;
      else if (directive !== undefined) skipDepth++;
      continue;
    }
    if (directive === 'if' && line.includes('.Values.admissionWebhooks')) {
      skipDepth = 1;
      continue;
    }
    if (!line.includes('{{')) kept.push(line);
  }
  return kept.join('\n');
}
