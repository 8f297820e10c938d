{{- /*
The canary's analysis: Prometheus, over the canary pods only (the `rollouts_pod_template_hash` label
the ServiceMonitor copies from the pods), every `interval`, `count` times. A measurement fails when
the success rate drops below `successRate.min` or the p99 latency rises above `latencyP99.maxSeconds`;
more than `failureLimit` failures fail the AnalysisRun, and the Rollout aborts: the ALB sends 100 % to
the stable pods again and the canary pods are scaled down. Too little traffic (fewer than
`minimumRequests` in the window) is inconclusive, not a pass (NaN fails neither condition, and
`inconclusiveLimit` 0 pauses the Rollout for a person to decide).
*/ -}}
{{- define "aivo-service.analysisTemplate" -}}
{{- if include "aivo-service.canary" . -}}
{{- $svc := .Values.service -}}
{{- $a := .Values.delivery.canary.analysis -}}
{{- $sel := printf "namespace=%q,service=\"%s-metrics\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"" .Release.Namespace $svc.name -}}
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: {{ $svc.name }}-canary
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
spec:
  args:
    - name: canary-hash
  metrics:
    - name: success-rate
      interval: {{ $a.interval }}
      count: {{ $a.count }}
      failureLimit: {{ $a.failureLimit }}
      inconclusiveLimit: 0
      successCondition: {{ printf "result[0] >= %v" $a.successRate.min | quote }}
      failureCondition: {{ printf "result[0] < %v" $a.successRate.min | quote }}
      provider:
        prometheus:
          address: {{ .Values.platform.prometheus.url | quote }}
          timeout: 30
          query: >-
            (sum(increase({{ $a.metrics.requests }}{ {{- $sel }},{{ $a.metrics.statusLabel }}!~"5.."}[{{ $a.window }}]))
            / sum(increase({{ $a.metrics.requests }}{ {{- $sel }}}[{{ $a.window }}])))
            and on() sum(increase({{ $a.metrics.requests }}{ {{- $sel }}}[{{ $a.window }}])) >= {{ $a.minimumRequests }}
            or on() vector(NaN)
    - name: latency-p99
      interval: {{ $a.interval }}
      count: {{ $a.count }}
      failureLimit: {{ $a.failureLimit }}
      inconclusiveLimit: 0
      successCondition: {{ printf "result[0] <= %v" $a.latencyP99.maxSeconds | quote }}
      failureCondition: {{ printf "result[0] > %v" $a.latencyP99.maxSeconds | quote }}
      provider:
        prometheus:
          address: {{ .Values.platform.prometheus.url | quote }}
          timeout: 30
          query: >-
            histogram_quantile(0.99, sum by (le) (rate({{ $a.metrics.durationBucket }}{ {{- $sel }}}[{{ $a.window }}])))
            and on() sum(increase({{ $a.metrics.requests }}{ {{- $sel }}}[{{ $a.window }}])) >= {{ $a.minimumRequests }}
            or on() vector(NaN)
{{- end -}}
{{- end -}}
