{{- /*
The named templates every AIVO service chart renders (helm/services/<name>/templates/service.yaml is
one line: {{ include "aivo-service.all" . }}). They make what modules/aws/delivery/service used to
apply from Terraform, plus the delivery pieces Argo CD runs: the Rollout and its analysis, and the
PreSync/PostSync hook Jobs.
*/ -}}

{{- define "aivo-service.name" -}}
{{- .Values.service.name -}}
{{- end -}}

{{- /* Selector labels: what Services, PDB, HPA, NetworkPolicy and spread constraints match on. */ -}}
{{- define "aivo-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aivo-service.name" . }}
{{- end -}}

{{- define "aivo-service.labels" -}}
{{ include "aivo-service.selectorLabels" . }}
app.kubernetes.io/part-of: aivo
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- with .Values.platform.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "aivo-service.metadata" -}}
name: {{ include "aivo-service.name" . }}
namespace: {{ .Release.Namespace }}
labels:
  {{- include "aivo-service.labels" . | nindent 2 }}
{{- end -}}

{{- /* `<repository>@<digest>` when the pipeline recorded a digest, else `<repository>:<tag>`; neither: a clear failure. */ -}}
{{- define "aivo-service.image" -}}
{{- $repo := .Values.platform.image.repository -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else if .Values.image.tag -}}
{{- printf "%s:%s" $repo .Values.image.tag -}}
{{- else -}}
{{- fail (printf "image: neither image.digest nor image.tag is set for %s; the pipeline sets them in values-<env>.yaml after the first build (docs/shipping-a-service.md, \"First deploy of a new service\")" .Values.service.name) -}}
{{- end -}}
{{- end -}}

{{- /* The service's in-cluster URL (the stable Service on port 80). */ -}}
{{- define "aivo-service.url" -}}
{{- printf "http://%s.%s.svc.cluster.local" .Values.service.name .Release.Namespace -}}
{{- end -}}

{{- define "aivo-service.canary" -}}
{{- if eq .Values.delivery.strategy "canary" -}}true{{- end -}}
{{- end -}}

{{- /* The workload kind the HPA, VPA and PDB point at. */ -}}
{{- define "aivo-service.workloadRef" -}}
{{- if include "aivo-service.canary" . -}}
apiVersion: argoproj.io/v1alpha1
kind: Rollout
{{- else -}}
apiVersion: apps/v1
kind: Deployment
{{- end }}
name: {{ include "aivo-service.name" . }}
{{- end -}}

{{- /* The Kubernetes Secret an ExternalSecret writes for a data store. */ -}}
{{- define "aivo-service.credentialsSecret" -}}
{{- printf "%s-%s" .root.Values.service.name .kind -}}
{{- end -}}

{{- /* PostgreSQL role and database name of the service: its name with "_" for "-". */ -}}
{{- define "aivo-service.databaseUser" -}}
{{- .Values.service.name | replace "-" "_" -}}
{{- end -}}

{{- /* The restricted Pod Security context of every pod and container the chart runs. */ -}}
{{- define "aivo-service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "aivo-service.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- /* Node placement: a dedicated group (spot, memory) adds its selector and the toleration of its taint. */ -}}
{{- define "aivo-service.placement" -}}
{{- $placement := .Values.service.placement -}}
{{- if ne $placement "general" }}
nodeSelector:
  {{ .Values.platform.nodes.label }}: {{ $placement }}
tolerations:
  - key: {{ .Values.platform.nodes.taintKey }}
    operator: Equal
    value: {{ $placement }}
    effect: NoSchedule
{{- end }}
{{- end -}}

{{- /* Argo CD hook annotations: `phase` PreSync/PostSync, `wave` order, `delete` policy. */ -}}
{{- define "aivo-service.hook" -}}
argocd.argoproj.io/hook: {{ .phase }}
argocd.argoproj.io/sync-wave: {{ .wave | quote }}
argocd.argoproj.io/hook-delete-policy: {{ .delete }}
{{- end -}}

{{- /* Renders every object of the service, in the order Argo CD applies them. */ -}}
{{- define "aivo-service.all" -}}
{{- $templates := list "aivo-service.serviceAccount" "aivo-service.externalSecrets" "aivo-service.services" "aivo-service.nlbService" "aivo-service.workload" "aivo-service.hpa" "aivo-service.pdb" "aivo-service.networkPolicy" "aivo-service.serviceMonitor" "aivo-service.ingress" "aivo-service.vpa" "aivo-service.analysisTemplate" "aivo-service.hooksNetworkPolicy" "aivo-service.databaseHooks" "aivo-service.migrationHook" "aivo-service.smokeTestHook" -}}
{{- range $templates }}
{{- $out := include . $ | trim }}
{{- if $out }}
---
{{ $out }}
{{- end }}
{{- end }}
{{- end -}}
