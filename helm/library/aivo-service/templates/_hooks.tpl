{{- /*
Argo CD hooks. PreSync, in waves (each waits for the one before to be healthy):
  -10  the hooks' NetworkPolicy; the bootstrap's ServiceAccount (IRSA: the service's db-bootstrap
       role), its SecretStore, and a Password generator
   -9  a PushSecret filling aivo/<env>/<name>/database (JSON username, password) in Secrets Manager
       when it has no value yet (updatePolicy IfNotExists: the first sync writes it, later ones keep
       it); cdktf creates that secret empty, with the services' CMK and External Secrets' managed-by tag
   -8  ExternalSecrets of the RDS-managed master user and of that database secret
   -7  the database bootstrap Job: psql creates or updates the service's role (LOGIN, the password of
       the secret) and its database; idempotent, so it also heals a rebuilt database
   -6  the migration Job: the service's image and command, with the service's own credentials
Then the sync applies the service's objects; PostSync runs the smoke test. A failed hook fails the
sync, and Argo CD shows the release as failed (docs/shipping-a-service.md).
Everything that touches the master credentials is deleted when the sync succeeds (HookSucceeded).
*/ -}}
{{- define "aivo-service.databaseHooks" -}}
{{- if .Values.service.dataStores.postgres -}}
{{- $name := include "aivo-service.name" . -}}
{{- $p := .Values.platform -}}
{{- $transient := "BeforeHookCreation,HookSucceeded" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}-db-bootstrap
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -10 "delete" $transient) | nindent 4 }}
    eks.amazonaws.com/role-arn: {{ $p.postgres.bootstrapRoleArn | quote }}
automountServiceAccountToken: false
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: {{ $name }}-db-admin
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -10 "delete" $transient) | nindent 4 }}
spec:
  provider:
    aws:
      service: SecretsManager
      region: {{ $p.region | quote }}
      auth:
        jwt:
          serviceAccountRef:
            name: {{ $name }}-db-bootstrap
---
apiVersion: generators.external-secrets.io/v1alpha1
kind: Password
metadata:
  name: {{ $name }}-db-password
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -10 "delete" $transient) | nindent 4 }}
spec:
  length: 40
  digits: 8
  # No symbols: the password is safe in connection URLs and shells.
  symbols: 0
  noUpper: false
  allowRepeat: true
---
apiVersion: external-secrets.io/v1alpha1
kind: PushSecret
metadata:
  name: {{ $name }}-db-credentials
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -9 "delete" $transient) | nindent 4 }}
spec:
  refreshInterval: 1h
  # Written once; the PushSecret's deletion (after every successful sync) leaves the value in place.
  updatePolicy: IfNotExists
  deletionPolicy: None
  secretStoreRefs:
    - name: {{ $name }}-db-admin
      kind: SecretStore
  selector:
    generatorRef:
      apiVersion: generators.external-secrets.io/v1alpha1
      kind: Password
      name: {{ $name }}-db-password
  template:
    data:
      credentials: {{ printf "{\"username\":%q,\"password\":\"{{ .password }}\"}" (include "aivo-service.databaseUser" .) | quote }}
  data:
    - match:
        secretKey: credentials
        remoteRef:
          remoteKey: {{ $p.postgres.serviceSecret | quote }}
      metadata:
        apiVersion: kubernetes.external-secrets.io/v1alpha1
        kind: PushSecretMetadata
        spec:
          secretPushFormat: string
{{- range $secret := list (dict "name" "db-admin" "key" $p.postgres.masterSecretArn "prefix" "PG") (dict "name" "db-service" "key" $p.postgres.serviceSecret "prefix" "DATABASE_") }}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: {{ $name }}-{{ $secret.name }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" $ | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -8 "delete" $transient) | nindent 4 }}
spec:
  refreshInterval: "0"
  secretStoreRef:
    kind: SecretStore
    name: {{ $name }}-db-admin
  target:
    name: {{ $name }}-{{ $secret.name }}
    creationPolicy: Owner
  data:
    - secretKey: {{ if eq $secret.prefix "PG" }}PGUSER{{ else }}DATABASE_USERNAME{{ end }}
      remoteRef:
        key: {{ $secret.key | quote }}
        property: username
    - secretKey: {{ if eq $secret.prefix "PG" }}PGPASSWORD{{ else }}DATABASE_PASSWORD{{ end }}
      remoteRef:
        key: {{ $secret.key | quote }}
        property: password
{{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}-db-bootstrap
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -10 "delete" $transient) | nindent 4 }}
data:
  # The service's role and database, created when missing, the password set from the secret every
  # time. The instance logs DDL (log_statement = ddl), so the password never appears in a DDL
  # statement's text: a SELECT hands it to a session setting, and a DO block (not DDL) runs the
  # ALTER ROLE inside the server, where statements are not logged.
  bootstrap.sql: |
    \getenv service_user DATABASE_USERNAME
    \getenv service_password DATABASE_PASSWORD
    \getenv service_database SERVICE_DATABASE
    -- \gset keeps the result out of the Job's output (and so out of the logs).
    SELECT set_config('aivo.service_user', :'service_user', false) AS u,
           set_config('aivo.service_password', :'service_password', false) AS p,
           set_config('aivo.service_database', :'service_database', false) AS d \gset ignored_
    DO $bootstrap$
    DECLARE
      role_name text := current_setting('aivo.service_user');
      database_name text := current_setting('aivo.service_database');
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', role_name);
      END IF;
      EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', role_name, current_setting('aivo.service_password'));
      -- CREATE DATABASE … OWNER needs the master user to be a member of the role (PostgreSQL 16+).
      EXECUTE format('GRANT %I TO CURRENT_USER', role_name);
    END
    $bootstrap$;
    SELECT format('CREATE DATABASE %I OWNER %I', :'service_database', :'service_user')
     WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'service_database') \gexec
    REVOKE ALL ON DATABASE :"service_database" FROM PUBLIC;
    GRANT CONNECT, TEMPORARY ON DATABASE :"service_database" TO :"service_user";
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}-db-bootstrap
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -7 "delete" "BeforeHookCreation,HookSucceeded") | nindent 4 }}
spec:
  backoffLimit: 2
  activeDeadlineSeconds: {{ .Values.databaseBootstrap.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ $name }}-db-bootstrap
        app.kubernetes.io/part-of: aivo
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        {{- include "aivo-service.podSecurityContext" . | nindent 8 }}
      containers:
        - name: bootstrap
          image: {{ .Values.databaseBootstrap.image | quote }}
          # The SQL reads the role's name and password from the environment (\getenv), never from argv.
          command: ["psql", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--file=/sql/bootstrap.sql"]
          env:
            - name: PGHOST
              value: {{ $p.postgres.host | quote }}
            - name: PGPORT
              value: {{ $p.postgres.port | quote }}
            - name: PGDATABASE
              value: postgres
            - name: PGSSLMODE
              value: require
            - name: PGCONNECT_TIMEOUT
              value: "10"
            - name: HOME
              value: /tmp
            - name: SERVICE_DATABASE
              value: {{ include "aivo-service.databaseUser" . | quote }}
          envFrom:
            - secretRef:
                name: {{ $name }}-db-admin
            - secretRef:
                name: {{ $name }}-db-service
          securityContext:
            {{- include "aivo-service.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: sql
              mountPath: /sql
              readOnly: true
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 16Mi
        - name: sql
          configMap:
            name: {{ $name }}-db-bootstrap
{{- end -}}
{{- end -}}

{{- /* The hook Jobs' network: DNS, the database (bootstrap, migration), the service's pods (smoke test). */ -}}
{{- define "aivo-service.hooksNetworkPolicy" -}}
{{- $name := include "aivo-service.name" . -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}-hooks
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" . | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" "PreSync" "wave" -10 "delete" "BeforeHookCreation") | nindent 4 }}
spec:
  podSelector:
    matchExpressions:
      - key: app.kubernetes.io/name
        operator: In
        values: [{{ $name }}-db-bootstrap, {{ $name }}-migrate, {{ $name }}-smoke-test]
  policyTypes: ["Ingress", "Egress"]
  ingress: []
  egress:
    {{- include "aivo-service.dnsEgress" . | nindent 4 }}
    {{- if .Values.service.dataStores.postgres }}
    - to:
        {{- range .Values.platform.postgres.subnetCidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        - protocol: TCP
          port: {{ .Values.platform.postgres.port }}
    {{- end }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "aivo-service.selectorLabels" . | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ .Values.service.port }}
{{- end -}}

{{- /* A hook Job: `job` = (dict "root" . "suffix" "migrate" "phase" … "wave" … "spec" values "image" … "env" … "envFrom" …). */ -}}
{{- define "aivo-service.hookJob" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" $root.Values.service.name .suffix -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "aivo-service.labels" $root | nindent 4 }}
  annotations:
    {{- include "aivo-service.hook" (dict "phase" .phase "wave" .wave "delete" "BeforeHookCreation,HookSucceeded") | nindent 4 }}
spec:
  backoffLimit: {{ .spec.backoffLimit }}
  activeDeadlineSeconds: {{ .spec.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ $name }}
        app.kubernetes.io/part-of: aivo
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        {{- include "aivo-service.podSecurityContext" $root | nindent 8 }}
      {{- include "aivo-service.placement" $root | nindent 6 }}
      containers:
        - name: {{ .suffix }}
          image: {{ .image | quote }}
          command:
            {{- range .spec.command }}
            - {{ tpl . $root | quote }}
            {{- end }}
          {{- with .env }}
          env:
            {{- . | nindent 12 }}
          {{- end }}
          {{- with .envFrom }}
          envFrom:
            {{- . | nindent 12 }}
          {{- end }}
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: {{ $root.Values.resources.limits.memory | quote }}
          securityContext:
            {{- include "aivo-service.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}

{{- define "aivo-service.migrationHook" -}}
{{- if .Values.migration.enabled -}}
{{- if not .Values.service.dataStores.postgres -}}
{{- fail "migration.enabled: the service has no postgres data store (service.dataStores.postgres); turn the migration off or add the data store" -}}
{{- end -}}
{{- $env := include "aivo-service.env" . | trim -}}
{{- $envFrom := printf "- secretRef:\n    name: %s-db-service" .Values.service.name -}}
{{- include "aivo-service.hookJob" (dict "root" . "suffix" "migrate" "phase" "PreSync" "wave" -6 "spec" .Values.migration "image" (include "aivo-service.image" .) "env" $env "envFrom" $envFrom) }}
{{- end -}}
{{- end -}}

{{- define "aivo-service.smokeTestHook" -}}
{{- if .Values.smokeTest.enabled -}}
{{- include "aivo-service.hookJob" (dict "root" . "suffix" "smoke-test" "phase" "PostSync" "wave" 0 "spec" .Values.smokeTest "image" (.Values.smokeTest.image | default (include "aivo-service.image" .))) }}
{{- end -}}
{{- end -}}
