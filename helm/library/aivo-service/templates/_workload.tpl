{{- define "aivo-service.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
  annotations:
    eks.amazonaws.com/role-arn: {{ .Values.platform.serviceAccount.roleArn | quote }}
automountServiceAccountToken: false
{{- end -}}

{{- /* The pod's environment: plain values, then each data store's endpoint (credentials come from envFrom). */ -}}
{{- define "aivo-service.env" -}}
{{- range $name, $value := .Values.service.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- if .Values.service.dataStores.postgres }}
- name: DATABASE_HOST
  value: {{ .Values.platform.postgres.host | quote }}
- name: DATABASE_PORT
  value: {{ .Values.platform.postgres.port | quote }}
- name: DATABASE_NAME
  value: {{ include "aivo-service.databaseUser" . | quote }}
- name: DATABASE_SSLMODE
  value: verify-full
{{- end }}
{{- if .Values.service.dataStores.redis }}
- name: REDIS_HOST
  value: {{ .Values.platform.redis.host | quote }}
- name: REDIS_PORT
  value: {{ .Values.platform.redis.port | quote }}
- name: REDIS_TLS
  value: "true"
{{- end }}
{{- end -}}

{{- define "aivo-service.envFrom" -}}
{{- range $kind := list "postgres" "redis" }}
{{- if index $.Values.service.dataStores $kind }}
- secretRef:
    name: {{ include "aivo-service.credentialsSecret" (dict "root" $ "kind" $kind) }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "aivo-service.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
  scheme: HTTP
periodSeconds: {{ .period }}
failureThreshold: {{ .failures }}
timeoutSeconds: 2
{{- end -}}

{{- define "aivo-service.podTemplate" -}}
{{- $svc := .Values.service -}}
metadata:
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
spec:
  serviceAccountName: {{ $svc.name }}
  # IRSA's web identity token is a projected volume the EKS webhook adds; the API token is not mounted.
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
  securityContext:
    {{- include "aivo-service.podSecurityContext" . | nindent 4 }}
  {{- include "aivo-service.placement" . | nindent 2 }}
  topologySpreadConstraints:
    {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
    - maxSkew: 1
      topologyKey: {{ $key }}
      # ScheduleAnyway: a lost zone must not leave replicas unschedulable in the others.
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "aivo-service.selectorLabels" $ | nindent 10 }}
    {{- end }}
  containers:
    - name: {{ $svc.name }}
      image: {{ include "aivo-service.image" . | quote }}
      imagePullPolicy: IfNotPresent
      ports:
        - name: http
          containerPort: {{ $svc.port }}
          protocol: TCP
        {{- if and $svc.metrics.enabled $svc.metrics.port (ne (int $svc.metrics.port) (int $svc.port)) }}
        - name: metrics
          containerPort: {{ $svc.metrics.port }}
          protocol: TCP
        {{- end }}
        {{- with $svc.networkLoadBalancer }}
        # The TCP or gRPC port the Network Load Balancer forwards to (TLS ends at the NLB).
        - name: l4
          containerPort: {{ .containerPort }}
          protocol: TCP
        {{- end }}
      {{- with (include "aivo-service.env" . | trim) }}
      env:
        {{- . | nindent 8 }}
      {{- end }}
      {{- with (include "aivo-service.envFrom" . | trim) }}
      envFrom:
        {{- . | nindent 8 }}
      {{- end }}
      resources:
        requests:
          cpu: {{ .Values.resources.requests.cpu | quote }}
          memory: {{ .Values.resources.requests.memory | quote }}
        limits:
          memory: {{ .Values.resources.limits.memory | quote }}
          {{- with .Values.resources.limits.cpu }}
          cpu: {{ . | quote }}
          {{- end }}
      startupProbe:
        {{- include "aivo-service.probe" (dict "path" ($svc.probes.startup | default $svc.probes.liveness) "period" 5 "failures" 30) | nindent 8 }}
      livenessProbe:
        {{- include "aivo-service.probe" (dict "path" $svc.probes.liveness "period" 10 "failures" 3) | nindent 8 }}
      readinessProbe:
        {{- include "aivo-service.probe" (dict "path" $svc.probes.readiness "period" 5 "failures" 3) | nindent 8 }}
      lifecycle:
        # The ALB and kube-proxy stop sending before SIGTERM.
        preStop:
          sleep:
            seconds: 5
      securityContext:
        {{- include "aivo-service.containerSecurityContext" . | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end -}}

{{- /* A Deployment (rolling) or an Argo Rollouts Rollout (canary). No replicas: the HPA owns the count. */ -}}
{{- define "aivo-service.workload" -}}
{{- $name := include "aivo-service.name" . -}}
{{- if include "aivo-service.canary" . }}
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "aivo-service.selectorLabels" . | nindent 6 }}
  # A canary that gets no traffic for this long is a stuck release: the Rollout goes Degraded.
  progressDeadlineSeconds: 900
  progressDeadlineAbort: true
  template:
    {{- include "aivo-service.podTemplate" . | nindent 4 }}
  strategy:
    canary:
      stableService: {{ $name }}
      canaryService: {{ $name }}-canary
      maxUnavailable: 0
      maxSurge: "25%"
      # After an abort the canary pods go at once; the stable ones never left.
      abortScaleDownDelaySeconds: 0
      trafficRouting:
        alb:
          ingress: {{ $name }}
          servicePort: 80
      analysis:
        # Runs in the background from the first step; a Failed run aborts the Rollout: traffic back to stable.
        templates:
          - templateName: {{ $name }}-canary
        startingStep: 1
        args:
          - name: canary-hash
            valueFrom:
              podTemplateHashValue: Latest
      steps:
        {{- range .Values.delivery.canary.steps }}
        - setWeight: {{ .weight }}
        - pause:
            duration: {{ .pause }}
        {{- end }}
        - setWeight: 100
{{- else }}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 600
  selector:
    matchLabels:
      {{- include "aivo-service.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: "25%"
  template:
    {{- include "aivo-service.podTemplate" . | nindent 4 }}
{{- end }}
{{- end -}}

{{- define "aivo-service.hpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  scaleTargetRef:
    {{- include "aivo-service.workloadRef" . | nindent 4 }}
  minReplicas: {{ .Values.replicas.min }}
  maxReplicas: {{ .Values.replicas.max }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.targetCpuUtilizationPercent }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
{{- end -}}

{{- define "aivo-service.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  # One pod at a time: drains and Karpenter consolidation proceed, never more than one replica down.
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "aivo-service.selectorLabels" . | nindent 6 }}
  unhealthyPodEvictionPolicy: AlwaysAllow
{{- end -}}

{{- define "aivo-service.vpa" -}}
{{- if .Values.service.verticalPodAutoscaler -}}
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  targetRef:
    {{- include "aivo-service.workloadRef" . | nindent 4 }}
  # Recommendations only: they inform values-<env>.yaml's requests; the HPA acts on CPU.
  updatePolicy:
    updateMode: "Off"
{{- end -}}
{{- end -}}
