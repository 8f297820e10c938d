import { Construct } from "constructs";
import { AlloyLogShipper } from "../modules/alloy";
import { PlatformNamespaces } from "../modules/kubernetes-namespaces";
import { LOKI_PUSH_URL, Loki } from "../modules/loki";
import { Monitoring } from "../modules/monitoring";
import { Velero } from "../modules/velero";
import { EnvironmentStack } from "./environment-stack";
import { KubernetesStack } from "./kubernetes-stack";

/**
 * `<env>-addons` (state `aivo/<env>/addons.tfstate`), applied after `<env>`: the platform's
 * namespaces, the controllers' IAM roles, and the controllers with their CRDs as Helm releases, in a
 * fixed order. Nothing here needs a CRD at plan time; custom resources go in `<env>-workloads`.
 */
export class AddonsStack extends KubernetesStack {
  /** The platform namespaces (pod security labels); releases depend on them. */
  readonly namespaces: PlatformNamespaces;
  /** Prometheus, Alertmanager, Grafana, rules, dashboards, monitoring secrets' containers. */
  readonly monitoring: Monitoring;
  /** Loki and its buckets. */
  readonly loki: Loki;
  /** Alloy shipping pod logs to Loki. */
  readonly logShipping: AlloyLogShipper;
  /** Velero, its bucket and (production) the DR replica. */
  readonly velero: Velero;

  constructor(scope: Construct, environment: EnvironmentStack) {
    super(scope, environment, "addons");
    this.namespaces = new PlatformNamespaces(this, "namespaces", {
      where: `${this.config.name}.kubernetes.namespaces`,
      labels: { environment: this.config.name },
    });

    // --- observability and cluster backups ---
    const { config, cluster } = this;
    const irsa = { oidcProviderArn: cluster.oidcProviderArn, oidcIssuerUrl: cluster.oidcIssuerUrl };
    // Development is torn down at will: its buckets go with their objects.
    const forceDestroy = config.tier === "development";
    const monitoringNamespace = this.namespaces.of("monitoring");
    this.monitoring = new Monitoring(this, "monitoring", {
      ...config.observability,
      ...irsa,
      where: `${config.name}.observability`,
      naming: cluster.naming,
      region: config.region,
      dependsOn: [monitoringNamespace],
    });
    this.loki = new Loki(this, "loki", {
      ...config.observability.loki,
      ...irsa,
      where: `${config.name}.observability.loki`,
      naming: cluster.naming,
      region: config.region,
      retentionDays: config.logRetentionDays,
      forceDestroy,
      dependsOn: [monitoringNamespace],
    });
    this.logShipping = new AlloyLogShipper(this, "log-shipping", {
      where: `${config.name}.observability.logShipping`,
      lokiPushUrl: LOKI_PUSH_URL,
      clusterName: cluster.clusterName,
      dependsOn: [this.loki.addOn.release],
    });
    const replicate = config.clusterBackups.replicateToDr === true && config.drRegion !== undefined;
    this.velero = new Velero(this, "velero", {
      ...config.clusterBackups,
      ...irsa,
      where: `${config.name}.clusterBackups`,
      naming: cluster.naming,
      region: config.region,
      ebsKmsKeyArn: cluster.ebsKmsKeyArn,
      drProvider: replicate ? this.addAwsProvider("aws-dr", config.drRegion!, "dr") : undefined,
      forceDestroy,
      // Its ServiceMonitor needs the prometheus-operator CRDs.
      dependsOn: [this.namespaces.of("velero"), this.monitoring.crds.release],
    });
  }
}
