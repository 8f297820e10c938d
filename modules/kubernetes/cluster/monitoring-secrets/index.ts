import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { KubernetesManifest } from "../../manifest";
import { CLUSTER_SECRET_STORE_NAME, HELM_CHARTS } from "../../platform";
import {
  ALERTMANAGER_SECRET_KEYS,
  ALERTMANAGER_SECRET_NAME,
  AlertmanagerCredential,
  GRAFANA_ADMIN_SECRET,
  MonitoringSecret,
  monitoringSecretName,
} from "../../addons/kube-prometheus-stack";
import { Naming } from "../../../shared/naming";

/** How often External Secrets re-reads Secrets Manager (a rotated value arrives within this). */
export const MONITORING_SECRETS_REFRESH = "1h";
/** Grafana's admin user name (the password comes from Secrets Manager). */
export const GRAFANA_ADMIN_USER = "admin";

export interface MonitoringExternalSecretsProps {
  /** Where the settings live, e.g. `production.observability`. */
  readonly where: string;
  /** Names the Secrets Manager secrets (`aivo/<env>/monitoring/<key>`). */
  readonly naming: Naming;
  /** The Alertmanager credentials to write (the receivers in use). */
  readonly credentials: readonly AlertmanagerCredential[];
  /** What must exist first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The ExternalSecrets (in `<env>-workloads`, after the External Secrets CRDs exist) that write the
 * monitoring credentials from Secrets Manager into the Secrets Alertmanager mounts
 * (`alertmanager-credentials`, one key per credential) and Grafana reads (`grafana-admin`), through
 * the platform's ClusterSecretStore. Terraform never sees a value.
 */
export class MonitoringExternalSecrets extends Construct {
  /** ExternalSecret `monitoring/alertmanager-credentials`. */
  readonly alertmanager: KubernetesManifest;
  /** ExternalSecret `monitoring/grafana-admin`. */
  readonly grafana: KubernetesManifest;

  constructor(scope: Construct, id: string, props: MonitoringExternalSecretsProps) {
    super(scope, id);
    const { naming, where } = props;
    const namespace = HELM_CHARTS.kubePrometheusStack.namespace;
    const secretStoreRef = { kind: "ClusterSecretStore" as const, name: CLUSTER_SECRET_STORE_NAME };
    const remote = (secret: MonitoringSecret) => ({ key: monitoringSecretName(naming, secret) });

    this.alertmanager = new KubernetesManifest(this, "alertmanager", {
      where: `${where}.receivers`,
      object: new ExternalSecret({
        metadata: { name: ALERTMANAGER_SECRET_NAME, namespace },
        spec: {
          refreshInterval: MONITORING_SECRETS_REFRESH,
          secretStoreRef,
          target: { name: ALERTMANAGER_SECRET_NAME, creationPolicy: "Owner" },
          data: props.credentials.map((credential) => ({ secretKey: ALERTMANAGER_SECRET_KEYS[credential], remoteRef: remote(credential) })),
        },
      }),
      dependsOn: props.dependsOn,
    });
    this.grafana = new KubernetesManifest(this, "grafana", {
      where: `${where}.grafana`,
      object: new ExternalSecret({
        metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace },
        spec: {
          refreshInterval: MONITORING_SECRETS_REFRESH,
          secretStoreRef,
          target: {
            name: GRAFANA_ADMIN_SECRET.name,
            creationPolicy: "Owner",
            template: {
              data: { [GRAFANA_ADMIN_SECRET.userKey]: GRAFANA_ADMIN_USER, [GRAFANA_ADMIN_SECRET.passwordKey]: "{{ .password }}" },
            },
          },
          data: [{ secretKey: "password", remoteRef: remote("grafanaAdminPassword") }],
        },
      }),
      dependsOn: props.dependsOn,
    });
  }
}
