import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { AwsContext } from "../../../shared/aws-context";
import { HelmAddOn, HelmValues } from "../../helm-addon";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CustomerManagedKey } from "../../../shared/kms";
import { KubernetesManifest } from "../../manifest";
import { GP3_STORAGE_CLASS, HELM_CHARTS, PodPlacement } from "../../platform";
import { placed } from "../../capacity/pods";
import { LOKI_QUERY_URL, LokiSettings, validateLokiSettings } from "../loki";
import { Naming } from "../../../shared/naming";
import { ALERTMANAGER_SECRET_NAME, AlertReceiverSettings, alertmanagerConfig, validateReceivers } from "./alertmanager";
import { PLATFORM_RULES_NAME, platformRules } from "./rules";

export * from "./alertmanager";
export { PLATFORM_RULES_NAME, platformRules } from "./rules";

/** The Secret (written by External Secrets) holding Grafana's admin user and password. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;
/** Grafana's service account (`monitoring/grafana`), the only one its CloudWatch role trusts. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";
/** The label (and value) Grafana's sidecar watches to load dashboards from ConfigMaps. */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
/** Data source uids the dashboards reference. */
export const DATASOURCE_UIDS = { prometheus: "prometheus", loki: "loki", cloudwatch: "cloudwatch", xray: "xray" } as const;
/**
 * Grafana's trace view of X-Ray (the platform's Jaeger, docs/architecture-choices.md): the AWS X-Ray
 * data source plugin, pinned (>= 2.13 needs Grafana 10.4+, which the pinned chart ships), installed at
 * Grafana's start from grafana.com.
 */
export const GRAFANA_XRAY_PLUGIN = { id: "grafana-x-ray-datasource", version: "2.13.0" } as const;
/** What the X-Ray data source reads (traces, service graph, insights; read-only). */
export const GRAFANA_XRAY_ACTIONS: readonly string[] = [
  "xray:BatchGetTraces",
  "xray:GetTraceSummaries",
  "xray:GetTraceGraph",
  "xray:GetServiceGraph",
  "xray:GetGroups",
  "xray:GetTimeSeriesServiceStatistics",
  "xray:GetInsightSummaries",
  "xray:GetInsight",
];
/**
 * Node labels kube-state-metrics exports on `kube_node_labels` (as `label_<name with _>`), which it
 * otherwise drops: the nodes dashboard groups by instance type, capacity type and NodePool.
 */
export const KSM_NODE_LABELS: readonly string[] = ["node.kubernetes.io/instance-type", "karpenter.sh/capacity-type", "karpenter.sh/nodepool", "node-type"];
/** The tolerations of the chart's node exporter (prometheus-node-exporter's default: every NoSchedule taint). */
export const NODE_EXPORTER_TOLERATIONS = [{ operator: "Exists", effect: "NoSchedule" }] as const;
/** The directory of the dashboards (one JSON file each, provisioned as-is). */
export const DASHBOARDS_DIR = join(__dirname, "dashboards");

/**
 * The Secrets Manager secrets the monitoring stack reads (values put by an operator, see README),
 * under `aivo/<env>/monitoring/<key>`, which the ClusterSecretStore may read.
 */
export const MONITORING_SECRETS = {
  pagerDutyRoutingKey: "pagerduty-routing-key",
  slackWebhookUrl: "slack-webhook-url",
  smtpPassword: "smtp-password",
  grafanaAdminPassword: "grafana-admin-password",
} as const;
export type MonitoringSecret = keyof typeof MONITORING_SECRETS;

/** `aivo/<env>/monitoring/<key>`: the Secrets Manager name of a monitoring secret. */
export function monitoringSecretName(naming: Naming, secret: MonitoringSecret): string {
  return `${naming.project}/${naming.environment}/monitoring/${MONITORING_SECRETS[secret]}`;
}

/** The CloudWatch read-only actions Grafana's CloudWatch data source uses (Grafana documentation). */
export const GRAFANA_CLOUDWATCH_ACTIONS: readonly string[] = [
  "cloudwatch:DescribeAlarmsForMetric",
  "cloudwatch:DescribeAlarmHistory",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListMetrics",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetInsightRuleReport",
  "ec2:DescribeTags",
  "ec2:DescribeInstances",
  "ec2:DescribeRegions",
  "tag:GetResources",
];
/** The CloudWatch Logs Insights actions of the same data source (scoped to the account's log groups in the region). */
export const GRAFANA_LOGS_ACTIONS: readonly string[] = [
  "logs:DescribeLogGroups",
  "logs:GetLogGroupFields",
  "logs:StartQuery",
  "logs:StopQuery",
  "logs:GetQueryResults",
  "logs:GetLogEvents",
];

/** Prometheus settings per environment. */
export interface PrometheusSettings {
  /** Days Prometheus keeps samples (1-90; long-term logs live in Loki, metrics are short-lived). */
  readonly retentionDays: number;
  /** Size of each replica's gp3 volume in GiB (10-1000); must hold `retentionDays` of samples. */
  readonly volumeSizeGi: number;
  /** Prometheus replicas (1-3; 2 in production for HA, each scrapes everything). */
  readonly replicas: number;
}

/** Per-environment observability settings (the environment config's `observability`). */
export interface ObservabilitySettings {
  readonly prometheus: PrometheusSettings;
  /** Alertmanager replicas (1-5; 3 form an HA cluster that de-duplicates notifications). */
  readonly alertmanagerReplicas: number;
  /** Grafana replicas. @default 1 */
  readonly grafanaReplicas?: number;
  /** Loki's mode and size (retention is the environment's `logRetentionDays`). */
  readonly loki: LokiSettings;
  /** Who receives alerts. */
  readonly receivers: AlertReceiverSettings;
}

/** Throws `<where>.<field>: …` for a bad setting (called by the environment validation and the construct). */
export function validateObservability(where: string, settings: ObservabilitySettings): void {
  const range = (path: string, value: number, min: number, max: number, unit: string) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${where}.${path}: ${value} is not a whole number of ${unit} between ${min} and ${max}`);
    }
  };
  if (!settings.prometheus) throw new Error(`${where}.prometheus: missing; give retentionDays, volumeSizeGi and replicas`);
  range("prometheus.retentionDays", settings.prometheus.retentionDays, 1, 90, "days");
  range("prometheus.volumeSizeGi", settings.prometheus.volumeSizeGi, 10, 1000, "GiB");
  range("prometheus.replicas", settings.prometheus.replicas, 1, 3, "replicas");
  range("alertmanagerReplicas", settings.alertmanagerReplicas, 1, 5, "replicas");
  range("grafanaReplicas", settings.grafanaReplicas ?? 1, 1, 5, "replicas");
  validateLokiSettings(`${where}.loki`, settings.loki);
  validateReceivers(`${where}.receivers`, settings.receivers);
}

export interface MonitoringProps extends ObservabilitySettings {
  /** Where the settings live, e.g. `production.observability`. */
  readonly where: string;
  /** Names keys, roles and secrets. */
  readonly naming: Naming;
  /** The cluster's region (CloudWatch data source, role scope). */
  readonly region: string;
  /** The cluster's IAM OIDC provider ARN. */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /** The StorageClass of the Prometheus and Alertmanager volumes. @default GP3_STORAGE_CLASS */
  readonly storageClassName?: string;
  /** Days a deleted secret can be restored (0 deletes at once, else 7-30). @default 7 */
  readonly secretRecoveryWindowDays?: number;
  /** What must exist first (the monitoring namespace). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Run Prometheus, Alertmanager and Grafana on a dedicated node pool. @default anywhere (the general nodes) */
  readonly placement?: PodPlacement;
}

/**
 * Metrics, alerting and dashboards in `monitoring`: the prometheus-operator CRDs as their own chart
 * (installed first, so a chart upgrade updates them), kube-prometheus-stack (Prometheus, Alertmanager
 * with the platform's routing tree, Grafana with Prometheus, Loki and CloudWatch data sources) with
 * the platform's PrometheusRules, the dashboards of `dashboards/` as sidecar ConfigMaps, Grafana's
 * CloudWatch read-only role, and the Secrets Manager containers of every credential (values put by
 * an operator; External Secrets writes them into the Secrets Alertmanager and Grafana mount).
 *
 * First deploy: the release does not wait for its pods (Alertmanager and Grafana start once the
 * ExternalSecrets of `<env>-workloads` have written their Secrets).
 */
export class Monitoring extends Construct {
  /** The CMK of the monitoring secrets (the External Secrets role needs `kms:Decrypt` on it). */
  readonly secretsKey: CustomerManagedKey;
  /** The Secrets Manager secret of each credential, by key. */
  readonly secrets: Partial<Record<MonitoringSecret, SecretsmanagerSecret>>;
  /** Grafana's CloudWatch read-only IRSA role (`monitoring/grafana`). */
  readonly grafanaRole: ServiceAccountRole;
  /** The prometheus-operator-crds release (installed first; other charts' ServiceMonitors depend on it). */
  readonly crds: HelmAddOn;
  /** The kube-prometheus-stack release. */
  readonly stack: HelmAddOn;
  /** The dashboard ConfigMaps, by file name. */
  readonly dashboards: Record<string, KubernetesManifest>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { where, naming } = props;
    validateObservability(where, props);
    const recovery = props.secretRecoveryWindowDays ?? 7;
    if (!Number.isInteger(recovery) || (recovery !== 0 && (recovery < 7 || recovery > 30))) {
      throw new Error(`${where}.secretRecoveryWindowDays: ${recovery} is not 0 or a whole number of days between 7 and 30`);
    }
    const namespace = HELM_CHARTS.kubePrometheusStack.namespace;
    const context = AwsContext.of(this);

    this.secretsKey = new CustomerManagedKey(this, "secrets-key", {
      naming,
      purpose: "monitoring-secrets",
      description: `Alerting and Grafana credentials of ${naming.prefix} (Secrets Manager)`,
    });
    const wanted: MonitoringSecret[] = [
      ...(props.receivers.pagerDuty ? (["pagerDutyRoutingKey"] as const) : []),
      "slackWebhookUrl",
      "smtpPassword",
      "grafanaAdminPassword",
    ];
    this.secrets = {};
    for (const secret of wanted) {
      this.secrets[secret] = new SecretsmanagerSecret(this, `secret-${MONITORING_SECRETS[secret]}`, {
        name: monitoringSecretName(naming, secret),
        description: `${MONITORING_SECRETS[secret]} of ${naming.prefix} monitoring; value put by an operator (README), read by External Secrets`,
        kmsKeyId: this.secretsKey.keyArn,
        recoveryWindowInDays: recovery,
      });
    }

    this.grafanaRole = new ServiceAccountRole(this, "grafana-role", {
      naming,
      name: "grafana-cloudwatch",
      description: `Grafana in ${naming.prefix}: read CloudWatch metrics and logs and X-Ray traces of ${props.region}`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace,
      serviceAccount: GRAFANA_SERVICE_ACCOUNT,
      statements: [
        {
          Sid: "ReadCloudWatchInRegion",
          Action: [...GRAFANA_CLOUDWATCH_ACTIONS],
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": props.region } },
        },
        { Sid: "QueryLogGroupsOfAccountRegion", Action: [...GRAFANA_LOGS_ACTIONS], Resource: context.arn("logs", "log-group:*") },
        // X-Ray's read actions take no resource-level permissions.
        { Sid: "ReadTracesInRegion", Action: [...GRAFANA_XRAY_ACTIONS], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": props.region } } },
      ],
    });

    this.crds = new HelmAddOn(this, "crds", {
      where: `${where}.prometheusOperatorCrds`,
      chart: HELM_CHARTS.prometheusOperatorCrds,
      pods: [],
      dependsOn: props.dependsOn,
    });

    const volume = (sizeGi: number) => ({
      volumeClaimTemplate: {
        spec: {
          storageClassName: props.storageClassName ?? GP3_STORAGE_CLASS,
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: `${sizeGi}Gi` } },
        },
      },
    });
    const rules = platformRules(namespace);
    // Tolerations and node selector, as the chart takes them on each workload (plain JSON values).
    const placement = props.placement ? (JSON.parse(JSON.stringify(props.placement)) as HelmValues) : {};
    const values: HelmValues = {
      // The CRDs come from the prometheus-operator-crds release (upgraded with it); Helm never upgrades a chart's crds/.
      crds: { enabled: false },
      prometheus: {
        prometheusSpec: {
          replicas: props.prometheus.replicas,
          retention: `${props.prometheus.retentionDays}d`,
          // Keep below the volume: Prometheus deletes the oldest blocks first at 90% of it.
          retentionSize: `${Math.floor(props.prometheus.volumeSizeGi * 0.9)}GB`,
          storageSpec: volume(props.prometheus.volumeSizeGi),
          ...placement,
          // Select every ServiceMonitor, PodMonitor and PrometheusRule of the cluster, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          replicas: props.alertmanagerReplicas,
          secrets: [ALERTMANAGER_SECRET_NAME],
          storage: volume(10),
          ...placement,
        },
        config: alertmanagerConfig(props.receivers) as unknown as HelmValues,
      },
      grafana: {
        ...placement,
        replicas: props.grafanaReplicas ?? 1,
        admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
        serviceAccount: { create: true, name: GRAFANA_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": this.grafanaRole.roleArn } },
        sidecar: {
          dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value },
          datasources: { enabled: true, defaultDatasourceEnabled: true, uid: DATASOURCE_UIDS.prometheus },
        },
        additionalDataSources: [
          { name: "Loki", type: "loki", uid: DATASOURCE_UIDS.loki, access: "proxy", url: LOKI_QUERY_URL },
          {
            name: "CloudWatch",
            type: "cloudwatch",
            uid: DATASOURCE_UIDS.cloudwatch,
            access: "proxy",
            jsonData: { authType: "default", defaultRegion: props.region },
          },
          { name: "X-Ray", type: GRAFANA_XRAY_PLUGIN.id, uid: DATASOURCE_UIDS.xray, access: "proxy", jsonData: { authType: "default", defaultRegion: props.region } },
        ],
        plugins: [`${GRAFANA_XRAY_PLUGIN.id} ${GRAFANA_XRAY_PLUGIN.version}`],
      },
      "kube-state-metrics": { metricLabelsAllowlist: [`nodes=[${KSM_NODE_LABELS.join(",")}]`] },
      "prometheus-node-exporter": { tolerations: JSON.parse(JSON.stringify(NODE_EXPORTER_TOLERATIONS)) as HelmValues[] },
      additionalPrometheusRulesMap: { [PLATFORM_RULES_NAME]: JSON.parse(JSON.stringify(rules.spec)) as HelmValues },
    };
    this.stack = new HelmAddOn(this, "release", {
      where,
      chart: HELM_CHARTS.kubePrometheusStack,
      pods: [
        { name: "prometheus", replicas: props.prometheus.replicas, ...placed(props.placement) },
        { name: "alertmanager", replicas: props.alertmanagerReplicas, ...placed(props.placement) },
        { name: "grafana", replicas: props.grafanaReplicas ?? 1, ...placed(props.placement) },
        { name: "operator", replicas: 1 },
        { name: "kube-state-metrics", replicas: 1 },
        { name: "node-exporter", daemonSet: true, tolerations: NODE_EXPORTER_TOLERATIONS },
      ],
      defaultValues: values,
      skipCrds: true,
      // Alertmanager and Grafana mount Secrets that the ExternalSecrets of <env>-workloads write:
      // waiting here would time out on a first deploy (see README, "Observability").
      wait: false,
      dependsOn: [this.crds.release],
    });

    this.dashboards = {};
    for (const file of dashboardFiles()) {
      const name = `dashboard-${file.replace(/\.json$/, "")}`;
      this.dashboards[file] = new KubernetesManifest(this, name, {
        where: `${where}.dashboards.${file}`,
        object: new ConfigMap({
          metadata: {
            name,
            namespace,
            labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value },
          },
          data: { [file]: readFileSync(join(DASHBOARDS_DIR, file), "utf8") },
        }),
        dependsOn: props.dependsOn,
      });
    }
  }
}

/** The dashboard files, sorted. */
export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
}
