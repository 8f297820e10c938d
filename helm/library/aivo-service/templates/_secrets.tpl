{{- /*
Credentials, as Kubernetes Secrets written by External Secrets from AWS Secrets Manager (never in
values, Terraform state or git):
- postgres: the service's own database user, `aivo/<env>/<name>/database` (JSON username, password),
  created by the PreSync database bootstrap (_hooks.tpl);
- redis: the cluster's AUTH token secret.
*/ -}}
{{- define "aivo-service.externalSecrets" -}}
{{- $p := .Values.platform -}}
{{- $first := true -}}
{{- range $kind := list "postgres" "redis" }}
{{- if index $.Values.service.dataStores $kind }}
{{- if not $first }}
---
{{- end }}
{{- $first = false }}
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: {{ include "aivo-service.credentialsSecret" (dict "root" $ "kind" $kind) }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" $ | nindent 4 }}
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: {{ $p.secretStore | quote }}
  target:
    name: {{ include "aivo-service.credentialsSecret" (dict "root" $ "kind" $kind) }}
    creationPolicy: Owner
  data:
    {{- if eq $kind "postgres" }}
    - secretKey: DATABASE_USERNAME
      remoteRef:
        key: {{ $p.postgres.serviceSecret | quote }}
        property: username
    - secretKey: DATABASE_PASSWORD
      remoteRef:
        key: {{ $p.postgres.serviceSecret | quote }}
        property: password
    {{- else }}
    - secretKey: REDIS_AUTH_TOKEN
      remoteRef:
        key: {{ $p.redis.authTokenSecret | quote }}
    {{- end }}
{{- end }}
{{- end }}
{{- end -}}
