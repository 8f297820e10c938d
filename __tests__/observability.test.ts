import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { Testing } from "cdktf";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { development } from "../environments/development";
import { PLATFORM_ON_CALL_SERVICE, PLATFORM_SLACK_CHANNEL } from "../environments/observability";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "../environments/types";
import { validateEnvironments } from "../environments/validate";
import { LOG_LABELS } from "../modules/kubernetes/addons/alloy";
import { HELM_CHARTS } from "../modules/kubernetes/platform";
import { LOKI_SCHEMA_START, LOKI_SERVICE_ACCOUNT } from "../modules/kubernetes/addons/loki";
import {
  ALERTMANAGER_SECRET_KEYS,
  ALERTMANAGER_SECRET_NAME,
  AlertmanagerConfig,
  AlertmanagerRoute,
  DASHBOARDS_DIR,
  DATASOURCE_UIDS,
  GRAFANA_XRAY_PLUGIN,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_SERVICE_ACCOUNT,
  MONITORING_SECRETS,
  PLATFORM_RULES_NAME,
  RECEIVERS,
  dashboardFiles,
} from "../modules/kubernetes/addons/kube-prometheus-stack";
import { CLUSTER_SECRET_STORE_NAME } from "../modules/kubernetes/platform";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_SCHEDULE_EVERY_6_HOURS, VELERO_SCHEDULE_FULL_NAME, VELERO_SCHEDULE_NAME, VELERO_SERVICE_ACCOUNT, assertCron } from "../modules/kubernetes/addons/velero";
import { TerraformJson, configsOf, policy, resourcesOf } from "./helpers";
import { manifestOf, manifestsOf, releaseAddress, releaseOf, releaseValues } from "./kubernetes-helpers";

/** A bucket name without its account-id suffix (every bucket has one: AIVO-S3-ACCOUNT-SCOPED-NAME). */
const withoutAccount = (bucket: string) => bucket.replace(/-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/, "");

const app = Testing.app();
buildPlatform(app);
const docs = (() => {
  // One synthesis of the whole app, shared by every test of this file.
  app.synth();
  return Object.fromEntries(
    Object.keys(app.node.children.reduce((acc, c) => ({ ...acc, [c.node.id]: 1 }), {} as Record<string, number>)).map((id) => [
      id,
      JSON.parse(readFileSync(join(app.outdir, "stacks", id, "cdk.tf.json"), "utf8")) as TerraformJson,
    ]),
  );
})();
const names = ENVIRONMENTS.map((e) => e.name);
const configOf = (name: string) => ENVIRONMENTS.find((e) => e.name === name)!;

/** The receivers an alert with `labels` reaches, walking the tree like Alertmanager (first match, `continue`). */
function receiversFor(route: AlertmanagerRoute, labels: Record<string, string>): string[] {
  const matches = (m: string) => {
    const [, key, op, value] = /^(\w+)(=~|!=|=)"(.*)"$/.exec(m)!;
    const actual = labels[key] ?? "";
    if (op === "=") return actual === value;
    if (op === "!=") return actual !== value;
    return new RegExp(`^(?:${value})$`).test(actual);
  };
  const walk = (node: AlertmanagerRoute): string[] | undefined => {
    if (!(node.matchers ?? []).every(matches)) return undefined;
    const found: string[] = [];
    for (const child of node.routes ?? []) {
      const got = walk(child);
      if (got) {
        found.push(...got);
        if (!child.continue) return found;
      }
    }
    return found.length > 0 ? found : [node.receiver!];
  };
  return walk(route) ?? [];
}

describe.each(names)("%s observability and backups", (name) => {
  const config = configOf(name);
  const addons = docs[`${name}-addons`];
  const workloads = docs[`${name}-workloads`];
  const paging = config.observability.receivers.pagerDuty !== undefined;

  describe("charts", () => {
    it("installs each pinned chart of the HELM_CHARTS table", () => {
      for (const key of ["prometheusOperatorCrds", "kubePrometheusStack", "loki", "alloy", "velero"] as const) {
        const chart = HELM_CHARTS[key];
        expect(releaseOf(addons, chart.name)).toMatchObject({
          chart: chart.chart,
          repository: chart.repository,
          version: chart.version,
          namespace: chart.namespace,
        });
      }
      expect(HELM_CHARTS.kubePrometheusStack.version).toBe("88.5.3");
      expect(HELM_CHARTS.prometheusOperatorCrds.version).toBe("31.0.1");
      expect(HELM_CHARTS.loki).toMatchObject({ repository: "https://grafana-community.github.io/helm-charts", version: "18.11.0" });
      expect(HELM_CHARTS.alloy.version).toBe("1.11.1");
      expect(HELM_CHARTS.velero.version).toBe("12.1.0");
    });

    it("lets the CRD chart own the prometheus-operator CRDs, installed first, so upgrades update them", () => {
      const stack = releaseOf(addons, "kube-prometheus-stack");
      expect(releaseValues(addons, "kube-prometheus-stack").crds).toEqual({ enabled: false });
      expect(stack.skip_crds).toBe(true);
      expect(stack.depends_on).toContain(releaseAddress(addons, "prometheus-operator-crds"));
      expect(releaseOf(addons, "velero").depends_on).toContain(releaseAddress(addons, "prometheus-operator-crds"));
      expect(releaseOf(addons, "alloy").depends_on).toEqual([releaseAddress(addons, "loki")]);
    });

    it("does not wait for kube-prometheus-stack, whose pods wait for Secrets of the workloads stack", () => {
      expect(releaseOf(addons, "kube-prometheus-stack")).toMatchObject({ wait: false, atomic: false, wait_for_jobs: false });
      for (const other of ["alloy", "velero", "prometheus-operator-crds"]) expect(releaseOf(addons, other).wait).toBe(true);
    });

    it("sends the Loki and Velero buckets' S3 access logs to the environment's access-log bucket", () => {
      const logging = configsOf(addons, "aws_s3_bucket_logging");
      const prefixes = logging.map((l) => l.target_prefix).sort();
      expect(prefixes).toEqual(
        [`aivo-${name}-loki-chunks/`, `aivo-${name}-loki-ruler/`, `aivo-${name}-velero/`, ...(name === "production" ? [`aivo-${name}-velero-replica/`] : [])].sort(),
      );
      // The log buckets are the environment stack's (modules/aws/data/buckets), read through cross-stack references.
      for (const l of logging) {
        const logBucket = l.target_prefix.startsWith(`aivo-${name}-velero-replica`) ? "buckets_dr-access-logs_bucket" : "buckets_access-logs_bucket";
        expect(l.target_bucket).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}\\.outputs\\.cross-stack-output-aws_s3_bucket${logBucket}_\\w+bucket\\}$`));
      }
    });

    it("runs Prometheus, Alertmanager, Grafana and Loki on the monitoring node pool, and so does not wait for Loki", () => {
      const values = releaseValues(addons, "kube-prometheus-stack");
      const onPool = { tolerations: [{ key: "workload-type", operator: "Equal", value: "monitoring", effect: "NoSchedule" }], nodeSelector: { "node-type": "monitoring" } };
      expect(values.prometheus.prometheusSpec).toMatchObject(onPool);
      expect(values.alertmanager.alertmanagerSpec).toMatchObject(onPool);
      expect(values.grafana).toMatchObject(onPool);
      const loki = releaseValues(addons, "loki");
      for (const part of ["singleBinary", "read", "write", "backend", "gateway"]) expect(loki[part]).toMatchObject(onPool);
      // The pool's NodePool is a custom resource of <env>-workloads, applied after this stack.
      expect(releaseOf(addons, "loki")).toMatchObject({ wait: false, atomic: false });
      expect(manifestsOf(docs[`${name}-workloads`], "NodePool").map((m) => m.manifest.metadata.name)).toContain("monitoring");
    });
  });

  describe("Prometheus, Alertmanager and Grafana", () => {
    const values = releaseValues(addons, "kube-prometheus-stack");

    it("sizes Prometheus and Alertmanager per environment (2 Prometheus, 3 Alertmanagers in production)", () => {
      const spec = values.prometheus.prometheusSpec;
      expect(spec.retention).toBe(`${config.observability.prometheus.retentionDays}d`);
      expect(spec.replicas).toBe(config.observability.prometheus.replicas);
      expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
        storageClassName: "gp3",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${config.observability.prometheus.volumeSizeGi}Gi` } },
      });
      expect(values.alertmanager.alertmanagerSpec.replicas).toBe(config.observability.alertmanagerReplicas);
      if (name === "production") {
        expect(spec.replicas).toBe(2);
        expect(values.alertmanager.alertmanagerSpec.replicas).toBeGreaterThanOrEqual(3);
      }
    });

    const am = values.alertmanager.config as AlertmanagerConfig;
    const receiverNames = am.receivers.map((r) => r.name);

    it("routes critical to PagerDuty only where paging is on, and always to Slack and e-mail", () => {
      const critical = receiversFor(am.route, { severity: "critical", alertname: "NodeNotReady" });
      expect(critical).toEqual(paging ? [RECEIVERS.pagerDuty, RECEIVERS.slack, RECEIVERS.email] : [RECEIVERS.slack, RECEIVERS.email]);
      expect(receiverNames.includes(RECEIVERS.pagerDuty)).toBe(paging);
      expect(paging).toBe(name === "production");
    });

    it("routes alert to Slack with e-mail escalation, warning to Slack only, the Watchdog nowhere", () => {
      expect(receiversFor(am.route, { severity: "alert" })).toEqual([RECEIVERS.slack, RECEIVERS.email]);
      expect(receiversFor(am.route, { severity: "warning" })).toEqual([RECEIVERS.slack]);
      expect(receiversFor(am.route, { severity: "none", alertname: "Watchdog" })).toEqual([RECEIVERS.none]);
      expect(receiversFor(am.route, { severity: "info" })).toEqual([RECEIVERS.none]);
    });

    it("sends to #platform-infrastructure, platform@aivo.edu and the Platform On-Call service", () => {
      const slack = am.receivers.find((r) => r.name === RECEIVERS.slack)!.slack_configs![0];
      expect(slack.channel).toBe(PLATFORM_SLACK_CHANNEL);
      const email = am.receivers.find((r) => r.name === RECEIVERS.email)!.email_configs![0];
      expect(email).toMatchObject({ to: PLATFORM_TEAM_EMAIL, require_tls: true });
      if (paging) expect(am.receivers.find((r) => r.name === RECEIVERS.pagerDuty)!.pagerduty_configs![0].description).toContain(PLATFORM_ON_CALL_SERVICE);
    });

    it("reads every receiver's credential from a file of the mounted Secret, never inline", () => {
      const dir = `/etc/alertmanager/secrets/${ALERTMANAGER_SECRET_NAME}/`;
      expect(values.alertmanager.alertmanagerSpec.secrets).toEqual([ALERTMANAGER_SECRET_NAME]);
      const files: string[] = [];
      for (const receiver of am.receivers) {
        for (const c of receiver.pagerduty_configs ?? []) {
          expect(Object.keys(c)).not.toEqual(expect.arrayContaining(["routing_key"]));
          files.push(c.routing_key_file);
        }
        for (const c of receiver.slack_configs ?? []) {
          expect(c).not.toHaveProperty("api_url");
          files.push(c.api_url_file);
        }
        for (const c of receiver.email_configs ?? []) {
          expect(c).not.toHaveProperty("auth_password");
          files.push(c.auth_password_file);
        }
      }
      expect(files).toHaveLength(paging ? 3 : 2);
      for (const file of files) expect(file.startsWith(dir)).toBe(true);
      // The ExternalSecret writes exactly the keys the configuration reads.
      const external = manifestOf(workloads, "ExternalSecret", ALERTMANAGER_SECRET_NAME).manifest;
      const written = external.spec.data.map((d: any) => d.secretKey).sort();
      expect(written).toEqual(files.map((f) => f.slice(dir.length)).sort());
      expect(written.includes(ALERTMANAGER_SECRET_KEYS.pagerDutyRoutingKey)).toBe(paging);
    });

    it("writes the credentials with External Secrets from aivo/<env>/monitoring/* through the ClusterSecretStore", () => {
      for (const { manifest } of manifestsOf(workloads, "ExternalSecret")) {
        expect(() => new ExternalSecret(manifest as any).validate()).not.toThrow();
        expect(manifest.metadata.namespace).toBe("monitoring");
        expect(manifest.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE_NAME });
        for (const d of manifest.spec.data) expect(d.remoteRef.key).toMatch(new RegExp(`^aivo/${name}/monitoring/[a-z-]+$`));
      }
      const grafana = manifestOf(workloads, "ExternalSecret", GRAFANA_ADMIN_SECRET.name).manifest;
      expect(Object.keys(grafana.spec.target.template.data).sort()).toEqual([GRAFANA_ADMIN_SECRET.passwordKey, GRAFANA_ADMIN_SECRET.userKey].sort());
      // Terraform creates the containers only: no secret version, each encrypted with the monitoring CMK.
      expect(resourcesOf(addons, "aws_secretsmanager_secret_version")).toEqual({});
      const secrets = configsOf(addons, "aws_secretsmanager_secret");
      expect(secrets.map((s) => s.name).sort()).toEqual(
        Object.entries(MONITORING_SECRETS)
          .filter(([key]) => paging || key !== "pagerDutyRoutingKey")
          .map(([, v]) => `aivo/${name}/monitoring/${v}`)
          .sort(),
      );
      for (const s of secrets) expect(s.kms_key_id).toMatch(/^\$\{aws_kms_key\.monitoring_secrets-key_.*\.arn\}$/);
    });

    it("gives Grafana Prometheus, Loki and CloudWatch data sources and the admin password from the Secret", () => {
      expect(values.grafana.admin).toEqual({ existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: "admin-user", passwordKey: "admin-password" });
      expect(values.grafana).not.toHaveProperty("adminPassword");
      expect(values.grafana.sidecar.datasources).toMatchObject({ defaultDatasourceEnabled: true, uid: DATASOURCE_UIDS.prometheus });
      const extra = Object.fromEntries(values.grafana.additionalDataSources.map((d: any) => [d.type, d]));
      expect(extra.loki).toMatchObject({ uid: "loki", url: "http://loki-gateway.monitoring.svc.cluster.local" });
      expect(extra.cloudwatch).toMatchObject({ uid: "cloudwatch", jsonData: { authType: "default", defaultRegion: config.region } });
      // Traces: Grafana's trace view over X-Ray, through the pinned plugin.
      expect(extra[GRAFANA_XRAY_PLUGIN.id]).toMatchObject({ uid: DATASOURCE_UIDS.xray, jsonData: { authType: "default", defaultRegion: config.region } });
      expect(values.grafana.plugins).toEqual([`${GRAFANA_XRAY_PLUGIN.id} ${GRAFANA_XRAY_PLUGIN.version}`]);
      expect(values.grafana.serviceAccount.name).toBe(GRAFANA_SERVICE_ACCOUNT);
    });

    it("ships the platform's PrometheusRules, valid against the prometheus-operator schema", () => {
      const spec = values.additionalPrometheusRulesMap[PLATFORM_RULES_NAME];
      expect(() => new PrometheusRule({ metadata: { name: PLATFORM_RULES_NAME }, spec }).validate()).not.toThrow();
      const alerts = spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
      expect(alerts).toEqual(
        expect.arrayContaining([
          "NodeNotReady",
          "PodCrashLooping",
          "VolumeFillingUp",
          "KarpenterCloudProviderErrors",
          "CertificateExpiring",
          "VeleroBackupFailed",
          "VeleroBackupMissing",
          "VeleroBackupNeverSucceeded",
        ]),
      );
      const missing = spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === "VeleroBackupMissing");
      expect(missing.expr).toContain('schedule="velero-every-6-hours"');
      expect(VELERO_SCHEDULE_FULL_NAME).toBe("velero-every-6-hours");
      expect(missing.expr).toContain("> 7 * 3600");
      for (const rule of spec.groups.flatMap((g: any) => g.rules)) expect(["warning", "alert", "critical"]).toContain(rule.labels.severity);
    });

    it("provisions every dashboard file, unchanged, as a ConfigMap Grafana's sidecar loads", () => {
      expect(values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value });
      const maps = manifestsOf(addons, "ConfigMap");
      expect(maps).toHaveLength(dashboardFiles().length);
      for (const file of dashboardFiles()) {
        const { manifest } = manifestOf(addons, "ConfigMap", `dashboard-${file.replace(/\.json$/, "")}`);
        expect(() => new ConfigMap(manifest as any).validate()).not.toThrow();
        expect(manifest.metadata).toMatchObject({ namespace: "monitoring", labels: { grafana_dashboard: "1" } });
        expect(manifest.data[file]).toBe(readFileSync(join(DASHBOARDS_DIR, file), "utf8"));
      }
    });
  });

  describe("Loki and log shipping", () => {
    const values = releaseValues(addons, "loki");
    const buckets = resourcesOf(addons, "aws_s3_bucket");
    const bucketId = (bucketName: string) => Object.entries(buckets).find(([, b]) => withoutAccount(b.bucket) === bucketName)![0];

    it("stores chunks and rules in their own buckets, schema v13 on tsdb", () => {
      expect(values.loki.storage).toEqual({
        type: "s3",
        bucketNames: { chunks: `\${aws_s3_bucket.${bucketId(`aivo-${name}-loki-chunks`)}.bucket}`, ruler: `\${aws_s3_bucket.${bucketId(`aivo-${name}-loki-ruler`)}.bucket}` },
        s3: { region: config.region },
      });
      expect(values.loki.schemaConfig.configs).toEqual([
        { from: LOKI_SCHEMA_START, store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } },
      ]);
      expect(values.loki.limits_config.retention_period).toBe(`${config.logRetentionDays * 24}h`);
      expect(values.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: "s3" });
    });

    it("runs one process in development and staging, scalable targets in production", () => {
      if (name === "production") {
        expect(values.deploymentMode).toBe("SimpleScalable");
        expect([values.read.replicas, values.write.replicas, values.backend.replicas, values.singleBinary.replicas]).toEqual([3, 3, 3, 0]);
      } else {
        expect(values.deploymentMode).toBe("SingleBinary");
        expect([values.read.replicas, values.write.replicas, values.backend.replicas, values.singleBinary.replicas]).toEqual([0, 0, 0, 1]);
      }
      expect(values.minio.enabled).toBe(false);
      for (const target of ["singleBinary", "write", "backend"]) expect(values[target].persistence.storageClass).toBe("gp3");
    });

    it("expires both buckets' objects at the environment's log retention, encrypted with Loki's CMK", () => {
      for (const part of ["chunks", "ruler"]) {
        const id = bucketId(`aivo-${name}-loki-${part}`);
        const lifecycle = configsOf(addons, "aws_s3_bucket_lifecycle_configuration").find((l) => l.bucket === `\${aws_s3_bucket.${id}.id}`)!;
        expect(lifecycle.rule[0].expiration).toEqual([{ days: config.logRetentionDays }]);
        const sse = configsOf(addons, "aws_s3_bucket_server_side_encryption_configuration").find((l) => l.bucket === `\${aws_s3_bucket.${id}.id}`)!;
        expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.loki_key_/) });
      }
    });

    it("uses a role only monitoring/loki can assume", () => {
      const role = configsOf(addons, "aws_iam_role").find((r) => r.name === `aivo-${name}-loki`)!;
      const trust = policy(role.assume_role_policy).Statement[0];
      expect(Object.values(trust.Condition.StringEquals)).toContain(`system:serviceaccount:monitoring:${LOKI_SERVICE_ACCOUNT}`);
      expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.loki_role_[A-Z0-9]+\.arn\}$/);
    });

    it("ships pod logs with Alloy as a DaemonSet, labelled namespace, pod, container and node", () => {
      const alloy = releaseValues(addons, "alloy");
      expect(alloy.controller.type).toBe("daemonset");
      // On every node, the tainted pools included, so no pod's logs are left behind.
      expect(alloy.controller.tolerations).toEqual([{ operator: "Exists" }]);
      const pipeline: string = alloy.alloy.configMap.content;
      for (const label of LOG_LABELS) expect(pipeline).toContain(`target_label  = "${label}"`);
      expect(pipeline).toContain('url = "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push"');
      expect(pipeline).toContain('"spec.nodeName=" + sys.env("NODE_NAME")');
      expect(alloy.alloy.mounts.varlog).toBe(true);
    });
  });

  describe("Velero", () => {
    const values = releaseValues(addons, "velero");
    const ttlDays = { development: 3, staging: 7, production: 30 }[name]!;

    it(`backs up every 6 hours, kept ${ttlDays} days`, () => {
      expect(config.clusterBackups.ttlDays).toBe(ttlDays);
      expect(values.schedules[VELERO_SCHEDULE_NAME]).toMatchObject({
        disabled: false,
        schedule: VELERO_SCHEDULE_EVERY_6_HOURS,
        template: { ttl: `${ttlDays * 24}h0m0s`, includedNamespaces: ["*"], storageLocation: "default", volumeSnapshotLocations: ["default"], snapshotVolumes: true },
      });
      expect(VELERO_SCHEDULE_EVERY_6_HOURS).toBe("0 */6 * * *");
    });

    it("stores backups in its CMK-encrypted bucket and snapshots EBS volumes in the region (no static credentials)", () => {
      const buckets = resourcesOf(addons, "aws_s3_bucket");
      const [id] = Object.entries(buckets).find(([, b]) => withoutAccount(b.bucket) === `aivo-${name}-velero`)!;
      expect(values.configuration.backupStorageLocation).toEqual([
        { name: "default", provider: "aws", bucket: `\${aws_s3_bucket.${id}.bucket}`, default: true, config: { region: config.region, kmsKeyId: expect.stringMatching(/^\$\{aws_kms_key\.velero_key_/) } },
      ]);
      expect(values.configuration.volumeSnapshotLocation).toEqual([{ name: "default", provider: "aws", config: { region: config.region } }]);
      expect(values.credentials).toEqual({ useSecret: false });
      expect(values.initContainers[0].image).toBe(VELERO_AWS_PLUGIN_IMAGE);
      const versioning = configsOf(addons, "aws_s3_bucket_versioning").find((v) => v.bucket === `\${aws_s3_bucket.${id}.id}`)!;
      expect(versioning.versioning_configuration.status).toBe("Enabled");
      const lifecycle = configsOf(addons, "aws_s3_bucket_lifecycle_configuration").find((l) => l.bucket === `\${aws_s3_bucket.${id}.id}`)!;
      expect(lifecycle.rule[0].expiration[0].days).toBeGreaterThan(ttlDays);
    });

    it("replicates the bucket to the DR region in production only, into a bucket with its own CMK", () => {
      const replication = configsOf(addons, "aws_s3_bucket_replication_configuration");
      if (name !== "production") {
        expect(replication).toEqual([]);
        expect(addons.provider!.aws).toHaveLength(1);
        return;
      }
      expect(replication).toHaveLength(1);
      const drProvider = addons.provider!.aws.find((p: any) => p.alias === "dr")!;
      expect(drProvider.region).toBe("us-west-2");
      const buckets = resourcesOf(addons, "aws_s3_bucket");
      const [replicaId, replica] = Object.entries(buckets).find(([, b]) => withoutAccount(b.bucket) === "aivo-production-velero-replica")!;
      expect(replica.provider).toBe("aws.dr");
      const rule = replication[0].rule[0];
      expect(rule.destination.bucket).toBe(`\${aws_s3_bucket.${replicaId}.arn}`);
      const keys = resourcesOf(addons, "aws_kms_key");
      const replicaKeyId = /aws_kms_key\.([^.]+)\.arn/.exec(rule.destination.encryption_configuration.replica_kms_key_id)![1];
      expect(keys[replicaKeyId].provider).toBe("aws.dr");
      expect(rule.source_selection_criteria.sse_kms_encrypted_objects.status).toBe("Enabled");
      for (const v of configsOf(addons, "aws_s3_bucket_versioning").filter((v) => /velero/.test(v.bucket))) {
        expect(v.versioning_configuration.status).toBe("Enabled");
      }
      expect(replication[0].depends_on).toHaveLength(2);
    });
  });

  describe("security", () => {
    it("blocks public access, encrypts with a CMK and denies non-TLS requests on every bucket", () => {
      const ids = Object.keys(resourcesOf(addons, "aws_s3_bucket"));
      expect(ids.length).toBe(name === "production" ? 4 : 3);
      for (const id of ids) {
        const ref = `\${aws_s3_bucket.${id}.id}`;
        expect(configsOf(addons, "aws_s3_bucket_public_access_block").find((p) => p.bucket === ref)).toMatchObject({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
        const statements = policy(configsOf(addons, "aws_s3_bucket_policy").find((p) => p.bucket === ref)!.policy).Statement;
        expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
        expect(configsOf(addons, "aws_s3_bucket_server_side_encryption_configuration").find((p) => p.bucket === ref)!.rule[0].bucket_key_enabled).toBe(true);
      }
      for (const key of configsOf(addons, "aws_kms_key")) expect(key.enable_key_rotation).toBe(true);
      const aliases = configsOf(addons, "aws_kms_alias").map((a) => a.name).sort();
      const purposes = ["loki", "monitoring-secrets", "velero", ...(name === "production" ? ["velero-replica"] : [])];
      expect(aliases).toEqual(purposes.map((p) => `alias/aivo/${name}/${p}`).sort());
    });

    it("scopes every IAM policy: named resources, or a region condition where AWS takes no resource", () => {
      // The observability roles' policies (the platform controllers' are checked in kubernetes-platform.test.ts).
      const observabilityRoles = Object.entries(resourcesOf(addons, "aws_iam_role"))
        .filter(([, r]) => /-(grafana-cloudwatch|loki|velero|velero-replication)$/.test(r.name))
        .map(([id]) => `\${aws_iam_role.${id}.name}`);
      const policies = configsOf(addons, "aws_iam_role_policy").filter((p) => observabilityRoles.includes(p.role));
      expect(policies.length).toBe(name === "production" ? 4 : 3);
      for (const p of policies) {
        for (const s of policy(p.policy).Statement) {
          expect(s.Effect).toBe("Allow");
          const resources = [s.Resource].flat();
          if (resources.includes("*")) {
            expect(s.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": config.region } });
          } else {
            // This stack's buckets and keys, the environment's EBS key, or the log groups of this account and region.
            const own = /^\$\{aws_(s3_bucket|kms_key)\.[^}]+\.arn\}(\/\*)?$/;
            const ebsKey = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}\\.outputs\\.[^}]*eks_ebs-key[^}]*arn\\}$`);
            const logGroups = /^arn:\$\{data\.aws_partition\.[^}]+\}:logs:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:log-group:\*$/;
            for (const r of resources) expect([own, ebsKey, logGroups].some((re) => re.test(r))).toBe(true);
          }
          for (const action of [s.Action].flat()) expect(action).not.toMatch(/^(\*|s3:\*|kms:\*|iam:.*)$/);
        }
      }
      const trusts = configsOf(addons, "aws_iam_role").map((r) => policy(r.assume_role_policy).Statement[0]);
      const subjects = trusts.filter((t) => t.Principal.Federated).map((t) => Object.entries(t.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1]);
      expect(subjects).toEqual(
        expect.arrayContaining([`system:serviceaccount:monitoring:${GRAFANA_SERVICE_ACCOUNT}`, `system:serviceaccount:monitoring:${LOKI_SERVICE_ACCOUNT}`, `system:serviceaccount:velero:${VELERO_SERVICE_ACCOUNT}`]),
      );
      // Beside them only the platform controllers' roles (issue 10), each trusted by one service account.
      expect(subjects.filter((s: unknown) => /:(monitoring|velero):/.test(String(s)))).toHaveLength(3);
    });
  });
});

describe("no synthesized stack holds a secret value", () => {
  /** Shapes of credentials: a Slack webhook, PagerDuty routing/integration keys, AWS keys, private keys, Slack tokens, inline passwords. */
  const SECRET_PATTERNS: [string, RegExp][] = [
    ["Slack webhook URL", /hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9]/],
    ["PagerDuty events URL with key", /events\.pagerduty\.com\/[^"]*[0-9a-f]{32}/],
    ["routing/integration key", /"(routing_key|integration_key|service_key)"\s*:\s*"[^"$]/],
    ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["Slack token", /\bxox[abprs]-[0-9A-Za-z-]{10,}/],
    ["inline password", /"(password|adminPassword|auth_password|smtp_auth_password|secret_string|api_url)"\s*:\s*"[^"$]/i],
  ];
  /** Every string of a document, Helm values and manifests unpacked, as one JSON text. */
  const flatten = (doc: TerraformJson): string =>
    JSON.stringify(doc, (_k, v) => {
      if (typeof v === "string" && v.trim().startsWith("{")) {
        try {
          return JSON.parse(v);
        } catch {
          return v;
        }
      }
      return v;
    });
  const findSecrets = (text: string) => SECRET_PATTERNS.filter(([, re]) => re.test(text)).map(([label]) => label);

  it("finds planted credentials of each kind (the detector works)", () => {
    const planted = [
      '{"url":"https://hooks.slack.com/services/T000/B000/XXXXXXXX"}',
      '{"routing_key":"0123456789abcdef0123456789abcdef"}',
      '{"id":"AKIAABCDEFGHIJKLMNOP"}',
      '{"k":"-----BEGIN RSA PRIVATE KEY-----"}',
      '{"t":"xoxb-1234567890-abcdefghij"}',
      '{"grafana":{"adminPassword":"hunter2"}}',
      '{"api_url":"https://example.com/hook"}',
    ];
    for (const text of planted) expect(findSecrets(text)).not.toEqual([]);
    expect(findSecrets(flatten({ resource: { helm_release: { x: { values: ['{"password":"p"}'] } } } }))).toEqual(["inline password"]);
  });

  it.each(Object.keys(docs))("%s has none, in values or resources", (stack) => {
    expect(findSecrets(flatten(docs[stack]))).toEqual([]);
  });

  it("nor does the source the stacks are built from (environments, modules, scripts, README)", () => {
    const root = join(__dirname, "..");
    const files: string[] = ["README.md", "main.ts"];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|json|md)$/.test(entry.name)) files.push(path);
      }
    };
    ["environments", "modules", "scripts"].forEach(walk);
    expect(files.length).toBeGreaterThan(40);
    const found = files.flatMap((f) => findSecrets(readFileSync(join(root, f), "utf8")).map((label) => `${f}: ${label}`));
    expect(found).toEqual([]);
  });
});

describe("dashboard files", () => {
  it("are valid JSON dashboards: cluster, nodes and Karpenter, ingress, data stores", () => {
    expect(dashboardFiles()).toEqual(["cluster.json", "data-stores.json", "ingress.json", "nodes-karpenter.json"]);
    const uids = new Set<string>();
    for (const file of dashboardFiles()) {
      const text = readFileSync(join(DASHBOARDS_DIR, file), "utf8");
      // Terraform would interpolate these in the manifest: Grafana variables must be written $var.
      expect(text).not.toMatch(/\$\{|%\{/);
      const dashboard = JSON.parse(text);
      expect(dashboard.uid).toMatch(/^aivo-/);
      expect(uids.has(dashboard.uid)).toBe(false);
      uids.add(dashboard.uid);
      expect(dashboard.panels.length).toBeGreaterThanOrEqual(4);
      for (const panel of dashboard.panels) {
        expect(Object.values(DATASOURCE_UIDS)).toContain(panel.datasource.uid);
        expect(panel.targets.length).toBeGreaterThan(0);
      }
    }
    const dataStores = JSON.parse(readFileSync(join(DASHBOARDS_DIR, "data-stores.json"), "utf8"));
    expect(new Set(dataStores.panels.map((p: any) => p.targets[0].namespace))).toEqual(new Set(["AWS/RDS", "AWS/ElastiCache"]));
  });
});

describe("observability and backup configuration errors", () => {
  type Change = (config: EnvironmentConfig) => EnvironmentConfig;
  const obs = (change: (o: EnvironmentConfig["observability"]) => object): Change => (c) => ({ ...c, observability: change(c.observability) as any });
  const run = (target: string, change: Change) => () =>
    validateEnvironments([development, staging, production].map((c) => (c.name === target ? change(c) : c)));

  it.each<[string, string, Change, string]>([
    [
      "a bad Prometheus retention",
      "staging",
      obs((o) => ({ ...o, prometheus: { ...o.prometheus, retentionDays: 0 } })),
      "staging.observability.prometheus.retentionDays: 0 is not a whole number of days between 1 and 90",
    ],
    [
      "a bad log retention (Loki's)",
      "development",
      (c) => ({ ...c, logRetentionDays: 45 }),
      "development.logRetentionDays: 45 is not a retention CloudWatch Logs accepts",
    ],
    [
      "a malformed cron",
      "development",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, schedule: "0 */6 * *" } }),
      'development.clusterBackups.schedule: "0 */6 * *" is not a cron expression (4 fields)',
    ],
    [
      "a cron value out of range",
      "staging",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, schedule: "0 25 * * *" } }),
      'staging.clusterBackups.schedule: "0 25 * * *" is not a cron expression (field 2: 25 outside 0-23)',
    ],
    [
      "a missing Slack receiver",
      "development",
      obs((o) => ({ ...o, receivers: { ...o.receivers, slack: undefined } })),
      'development.observability.receivers.slack.channel: "undefined" is missing or not a Slack channel like #platform-infrastructure',
    ],
    ["missing receivers", "staging", obs((o) => ({ ...o, receivers: undefined })), "staging.observability.receivers: missing; give slack and email receivers"],
    [
      "a missing e-mail receiver",
      "staging",
      obs((o) => ({ ...o, receivers: { ...o.receivers, email: undefined } })),
      "staging.observability.receivers.email: missing; the escalation e-mail receiver is required",
    ],
    [
      "production without paging",
      "production",
      obs((o) => ({ ...o, receivers: { ...o.receivers, pagerDuty: undefined } })),
      'production.observability.receivers.pagerDuty: missing; production pages PagerDuty "Platform On-Call" for critical alerts',
    ],
    [
      "a bad Velero TTL",
      "production",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, ttlDays: 0 } }),
      "production.clusterBackups.ttlDays: 0 is not a whole number of days between 1 and 365",
    ],
    [
      "replication without a DR region",
      "staging",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, replicateToDr: true } }),
      "staging.clusterBackups.replicateToDr: true, but the environment has no drRegion",
    ],
    [
      "a scaled single-binary Loki",
      "development",
      obs((o) => ({ ...o, loki: { mode: "SingleBinary", replicas: 3 } })),
      'development.observability.loki.replicas: 3; SingleBinary runs one pod, use mode "SimpleScalable" to scale',
    ],
    ["an unknown Loki mode", "staging", obs((o) => ({ ...o, loki: { mode: "Microservices" } })), 'staging.observability.loki.mode: "Microservices" is not one of SingleBinary, SimpleScalable'],
    [
      "too many Alertmanagers",
      "production",
      obs((o) => ({ ...o, alertmanagerReplicas: 9 })),
      "production.observability.alertmanagerReplicas: 9 is not a whole number of replicas between 1 and 5",
    ],
  ])("rejects %s", (_label, target, change, message) => {
    expect(run(target, change)).toThrow(message);
  });

  it("accepts the cron forms Velero takes", () => {
    for (const cron of ["0 */6 * * *", "30 2 * * 1-5", "0 0,12 1 */2 *"]) expect(() => assertCron("x", cron)).not.toThrow();
  });
});
