{{/* Name of the release's objects: the release name when it already contains the chart's name. */}}
{{- define "otelkit-demo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Common labels; the selector labels (name, instance, component) are added where the object selects or is selected. */}}
{{- define "otelkit-demo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: otelkit
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of a component: api, postgres or load-test. */}}
{{- define "otelkit-demo.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "otelkit-demo.postgresHost" -}}
{{ include "otelkit-demo.fullname" . }}-postgres
{{- end -}}

{{/* Pod-level hardening shared by every pod of the chart. */}}
{{- define "otelkit-demo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "otelkit-demo.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* PGUSER/PGPASSWORD from the existing Secret (node-postgres reads PGPASSWORD when the URL has no password). */}}
{{- define "otelkit-demo.postgresCredentials" -}}
- name: PGUSER
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret }}
      key: {{ .Values.postgres.userKey }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret }}
      key: {{ .Values.postgres.passwordKey }}
{{- end -}}


{{/* The demo's own shutdown deadline after SIGTERM: drain, then telemetry flush (ms). */}}
{{- define "otelkit-demo.shutdownTimeoutMs" -}}
{{- mul (add .Values.termination.drainSeconds .Values.termination.telemetryFlushSeconds) 1000 -}}
{{- end -}}

{{/* preStop sleep + drain + telemetry flush + exit margin: the kubelet's SIGKILL comes after all of them. */}}
{{- define "otelkit-demo.terminationGracePeriodSeconds" -}}
{{- $t := .Values.termination -}}
{{- add $t.preStopSeconds $t.drainSeconds $t.telemetryFlushSeconds $t.exitMarginSeconds -}}
{{- end -}}
