{{- /* The stable Service (in-cluster callers and the ALB), and with a canary its twin for the canary pods. */ -}}
{{- define "aivo-service.services" -}}
{{- $svc := .Values.service -}}
{{- $names := list $svc.name -}}
{{- if include "aivo-service.canary" . }}{{ $names = append $names (printf "%s-canary" $svc.name) }}{{ end -}}
{{- range $i, $name := $names }}
{{- if $i }}
---
{{- end }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" $ | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "aivo-service.selectorLabels" $ | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    {{- if and $svc.metrics.enabled $svc.metrics.port (ne (int $svc.metrics.port) (int $svc.port)) }}
    - name: metrics
      port: {{ $svc.metrics.port }}
      targetPort: metrics
      protocol: TCP
    {{- end }}
{{- end }}
{{- if $svc.metrics.enabled }}
---
# Scraping goes through this headless Service: it selects every pod of the service, stable and canary
# alike (Argo Rollouts narrows the other two to one ReplicaSet each), so each pod is scraped once.
apiVersion: v1
kind: Service
metadata:
  name: {{ $svc.name }}-metrics
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" $ | nindent 4 }}
    app.kubernetes.io/component: metrics
spec:
  type: ClusterIP
  clusterIP: None
  selector:
    {{- include "aivo-service.selectorLabels" $ | nindent 4 }}
  ports:
    - name: {{ include "aivo-service.metricsPortName" $ }}
      port: {{ $svc.metrics.port | default $svc.port }}
      targetPort: {{ include "aivo-service.metricsPortName" $ }}
      protocol: TCP
{{- end }}
{{- end -}}

{{- /*
A TCP or gRPC port through a Network Load Balancer (service.networkLoadBalancer): a LoadBalancer
Service the AWS Load Balancer Controller turns into an NLB. Its annotations (TLS with the
environment's certificate, IP targets, HTTP/2 for gRPC, health checks on the readiness path) come
computed from the Application (platform.networkLoadBalancer, from modules/aws/delivery/service/nlb.ts).
*/ -}}
{{- define "aivo-service.nlbService" -}}
{{- $nlb := .Values.service.networkLoadBalancer -}}
{{- if $nlb -}}
{{- $p := required "platform.networkLoadBalancer: the environment offers no Network Load Balancer settings" .Values.platform.networkLoadBalancer -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.service.name }}-nlb
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- toYaml $p.annotations | nindent 4 }}
spec:
  type: LoadBalancer
  loadBalancerClass: service.k8s.aws/nlb
  selector:
    {{- include "aivo-service.selectorLabels" . | nindent 4 }}
  ports:
    - name: l4
      port: {{ $nlb.listenerPort | default 443 }}
      targetPort: l4
      protocol: TCP
  {{- with $p.sourceRanges }}
  loadBalancerSourceRanges: {{ toJson . }}
  {{- end }}
{{- end -}}
{{- end -}}

{{- define "aivo-service.metricsPortName" -}}
{{- $svc := .Values.service -}}
{{- if and $svc.metrics.port (ne (int $svc.metrics.port) (int $svc.port)) }}metrics{{ else }}http{{ end -}}
{{- end -}}

{{- /* Deny by default (the namespace's baseline); allow exactly the peers the service needs. */ -}}
{{- define "aivo-service.networkPolicy" -}}
{{- $svc := .Values.service -}}
{{- $p := .Values.platform -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "aivo-service.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    {{- if $svc.publicPaths }}
    # The ALB sends to pod IPs (target-type ip) from its nodes in the public subnets.
    - from:
        {{- range $p.ingress.sourceCidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        - protocol: TCP
          port: {{ $svc.port }}
    {{- end }}
    {{- with .Values.service.networkLoadBalancer }}
    # The NLB's nodes (client IPs are not kept for IP targets): its port, and the HTTP port for health checks.
    - from:
        {{- range $p.networkLoadBalancer.ingressCidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        - protocol: TCP
          port: {{ .containerPort }}
        {{- if ne (int .containerPort) (int $svc.port) }}
        - protocol: TCP
          port: {{ $svc.port }}
        {{- end }}
    {{- end }}
    {{- if $p.peers.callers }}
    - from:
        - podSelector:
            matchExpressions:
              - key: app.kubernetes.io/name
                operator: In
                values: {{ toJson $p.peers.callers }}
      ports:
        - protocol: TCP
          port: {{ $svc.port }}
    {{- end }}
    {{- if $svc.metrics.enabled }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $p.prometheus.namespace }}
          podSelector:
            matchLabels:
              {{- toYaml $p.prometheus.podLabels | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ $svc.metrics.port | default $svc.port }}
    {{- end }}
    {{- if .Values.smokeTest.enabled }}
    # The PostSync smoke test.
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ $svc.name }}-smoke-test
      ports:
        - protocol: TCP
          port: {{ $svc.port }}
    {{- end }}
  egress:
    {{- include "aivo-service.dnsEgress" . | nindent 4 }}
    {{- include "aivo-service.dataStoreEgress" . | nindent 4 }}
    {{- range $p.peers.calls }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ .name }}
      ports:
        - protocol: TCP
          port: {{ .port }}
    {{- end }}
    # HTTPS: AWS APIs through NAT (STS for IRSA, the spec's awsAccess), identity providers.
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - protocol: TCP
          port: 443
{{- end -}}

{{- define "aivo-service.dnsEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}

{{- define "aivo-service.dataStoreEgress" -}}
{{- range $kind := list "postgres" "redis" }}
{{- if index $.Values.service.dataStores $kind }}
{{- $store := index $.Values.platform $kind }}
- to:
    {{- range $store.subnetCidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - protocol: TCP
      port: {{ $store.port }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "aivo-service.serviceMonitor" -}}
{{- $svc := .Values.service -}}
{{- if $svc.metrics.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $svc.name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
    {{- toYaml .Values.platform.prometheus.serviceMonitorLabels | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "aivo-service.selectorLabels" . | nindent 6 }}
      app.kubernetes.io/component: metrics
  namespaceSelector:
    matchNames: [{{ .Release.Namespace }}]
  # The canary analysis tells canary from stable series by this pod label.
  podTargetLabels: ["rollouts-pod-template-hash"]
  endpoints:
    - port: {{ include "aivo-service.metricsPortName" . }}
      path: {{ $svc.metrics.path }}
      interval: {{ $svc.metrics.interval }}
      scheme: http
{{- end -}}
{{- end -}}

{{- /*
The Ingress in the environment's IngressGroup (one ALB per environment). With a canary, the backend
is the stable Service with port `use-annotation`: Argo Rollouts writes the
`alb.ingress.kubernetes.io/actions.<name>` annotation with the stable/canary weights, and the AWS Load
Balancer Controller turns it into a weighted forward to two target groups.
*/ -}}
{{- define "aivo-service.ingress" -}}
{{- $svc := .Values.service -}}
{{- $in := .Values.platform.ingress -}}
{{- if $svc.publicPaths -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "aivo-service.metadata" . | nindent 2 }}
  annotations:
    alb.ingress.kubernetes.io/group.name: {{ $in.groupName | quote }}
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'
    alb.ingress.kubernetes.io/certificate-arn: {{ $in.certificateArn | quote }}
    alb.ingress.kubernetes.io/ssl-policy: {{ $in.sslPolicy | quote }}
    alb.ingress.kubernetes.io/security-groups: {{ $in.securityGroup | quote }}
    alb.ingress.kubernetes.io/manage-backend-security-group-rules: "true"
    alb.ingress.kubernetes.io/backend-protocol: HTTP
    alb.ingress.kubernetes.io/healthcheck-path: {{ $svc.probes.readiness | quote }}
    alb.ingress.kubernetes.io/load-balancer-attributes: {{ printf "routing.http.drop_invalid_header_fields.enabled=true,deletion_protection.enabled=%t" $in.deletionProtection | quote }}
    external-dns.alpha.kubernetes.io/hostname: {{ $in.host | quote }}
spec:
  ingressClassName: alb
  {{- $port := ternary "use-annotation" "http" (eq (include "aivo-service.canary" .) "true") }}
  rules:
    {{- /* One rule per name the ALB answers to; external-dns publishes only the annotation's (it ignores rule hosts). */}}
    {{- range $host := prepend ($in.additionalHosts | default list) $in.host }}
    - host: {{ $host | quote }}
      http:
        paths:
          {{- range $svc.publicPaths }}
          - path: {{ trimSuffix "/*" . | quote }}
            pathType: {{ if hasSuffix "/*" . }}Prefix{{ else }}Exact{{ end }}
            backend:
              service:
                name: {{ $svc.name }}
                port:
                  name: {{ $port }}
          {{- end }}
          {{- with $in.healthCheckPath }}
          # The origin's Route 53 health check: the readiness path, so it sees 200 only from a ready pod.
          - path: {{ . | quote }}
            pathType: Exact
            backend:
              service:
                name: {{ $svc.name }}
                port:
                  name: {{ $port }}
          {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}
