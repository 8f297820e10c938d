import { ITerraformDependable, TerraformOutput } from "cdktf";
import type { DataClassificationJob } from "../modules/aws/security/data-classification";
import { addDataClassification, addRestoreDrill } from "./compliance";
import type { RestoreDrill } from "../modules/kubernetes/cluster/restore-drill";
import { Construct } from "constructs";
import { AdotCollector } from "../modules/kubernetes/addons/adot-collector";
import { AlbOriginSecurityGroup } from "../modules/aws/network/alb-origin-security-group";
import { Auth0Config } from "../modules/kubernetes/cluster/auth0";
import { AwsLoadBalancerController } from "../modules/kubernetes/addons/aws-load-balancer-controller";
import { CertManager } from "../modules/kubernetes/addons/cert-manager";
import { vpcResolverAddress } from "../modules/shared/cidr";
import { ExternalDns } from "../modules/kubernetes/addons/external-dns";
import { ExternalSecrets } from "../modules/kubernetes/addons/external-secrets";
import { EfsStorageClasses } from "../modules/aws/data/file-storage";
import { HelmAddOn } from "../modules/kubernetes/helm-addon";
import { KarpenterController } from "../modules/kubernetes/addons/karpenter";
import { PlatformNamespaces } from "../modules/kubernetes/cluster/namespaces";
import { NAMESPACES, PlatformNamespace } from "../modules/kubernetes/platform";
import { chartFor, DEFAULT_REPLICAS, ReplicatedController } from "../modules/kubernetes/platform/settings";
import { Kyverno } from "../modules/kubernetes/addons/kyverno";
import { MetricsServer } from "../modules/kubernetes/addons/metrics-server";
import { AlloyLogShipper } from "../modules/kubernetes/addons/alloy";
import { LOKI_PUSH_URL, Loki } from "../modules/kubernetes/addons/loki";
import { Monitoring } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { Velero } from "../modules/kubernetes/addons/velero";
import { VaultIntegration } from "../modules/kubernetes/addons/vault";
import { runsOnFargate } from "../modules/aws/compute/fargate-profile";
import { KARPENTER_NAMESPACE } from "../modules/aws/compute/karpenter-prerequisites";
import { MONITORING_PLACEMENT, NvidiaDevicePlugin } from "../modules/kubernetes/cluster/node-pools";
import { StorageClasses } from "../modules/kubernetes/cluster/storage-classes";
import { VerticalPodAutoscaler } from "../modules/kubernetes/addons/vertical-pod-autoscaler";
import { EnvironmentStack } from "./environment-stack";
import { KubernetesStack } from "./kubernetes-stack";

/**
 * `<env>-addons` (state `aivo/<env>/addons.tfstate`), applied after `<env>`: the platform's
 * namespaces, the controllers' IAM roles, and the controllers with their CRDs as Helm releases, in a
 * fixed order. Nothing here needs a CRD at plan time; custom resources go in `<env>-workloads`.
 *
 * Release order (each waits for the one before): 1 AWS Load Balancer Controller (its webhook mutates
 * every Service created later), 2 cert-manager, 3 External Secrets, 4 karpenter-crd + Karpenter,
 * 5 metrics-server, 6 external-dns, 7 Kyverno + its pod-security policies, 8 the ADOT collector.
 *
 * Core objects of the integrations (no CRD): the Auth0 ConfigMap in `aivo`, Vault's `vault-auth`
 * service account, and an EFS StorageClass (with a static volume on its access point) per consumer.
 */
export class AddonsStack extends KubernetesStack {
  /** The platform namespaces (pod security labels); releases depend on them. */
  readonly namespaces: PlatformNamespaces;
  readonly loadBalancerController: AwsLoadBalancerController;
  readonly certManager: CertManager;
  readonly externalSecrets: ExternalSecrets;
  readonly karpenter?: KarpenterController;
  readonly metricsServer: MetricsServer;
  readonly externalDns: ExternalDns;
  readonly kyverno: Kyverno;
  /** Every release, in installation order. */
  readonly releases: readonly HelmAddOn[];
  /** The public ALB's security group: HTTPS from CloudFront's origin-facing prefix list only. */
  readonly albSecurityGroup: AlbOriginSecurityGroup;
  /** Prometheus, Alertmanager, Grafana, rules, dashboards, monitoring secrets' containers. */
  readonly monitoring: Monitoring;
  /** Loki and its buckets. */
  readonly loki: Loki;
  /** Alloy shipping pod logs to Loki. */
  readonly logShipping: AlloyLogShipper;
  /** Velero, its bucket and (production) the DR replica. */
  readonly velero: Velero;
  /** Macie's personal-data discovery job over this environment's buckets (issue 28); undefined where off. */
  readonly dataClassification?: DataClassificationJob;
  /** The weekly Velero restore drill (issue 28); undefined where `restoreDrill.enabled` is false. */
  readonly restoreDrill?: RestoreDrill;
  /** The ADOT collector (OTLP in, X-Ray out) in `observability`. */
  readonly adotCollector: AdotCollector;
  /** The ConfigMap `auth0` in `aivo`. */
  readonly auth0: Auth0Config;
  /** Vault's Kubernetes-auth service account; undefined without a `vault` section (the store is in `<env>-workloads`). */
  readonly vault?: VaultIntegration;
  /** EFS StorageClasses and static volumes; undefined where EFS is off. */
  readonly efsStorageClasses?: EfsStorageClasses;
  /** EBS StorageClasses (gp3 default, io2), gp2 demoted. */
  readonly storageClasses: StorageClasses;
  /** The Vertical Pod Autoscaler; undefined when `verticalPodAutoscaler.enabled` is false. */
  readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /** The NVIDIA device plugin; only with `nodePools.nvidiaDevicePlugin`. */
  readonly nvidiaDevicePlugin?: NvidiaDevicePlugin;

  constructor(scope: Construct, environment: EnvironmentStack) {
    super(scope, environment, "addons");
    const { config, cluster } = this;
    const settings = config.kubernetes;
    const where = (key: string) => `${config.name}.kubernetes.${key}`;
    const replicas = (key: ReplicatedController) => settings.replicas?.[key] ?? DEFAULT_REPLICAS;
    this.namespaces = new PlatformNamespaces(this, "namespaces", {
      where: where("namespaces"),
      labels: { environment: config.name },
    });
    const ns = (key: PlatformNamespace): ITerraformDependable[] => [this.namespaces.of(key)];

    this.loadBalancerController = new AwsLoadBalancerController(this, "aws-load-balancer-controller", {
      where: where("awsLoadBalancerController"),
      cluster,
      chart: chartFor(settings, "awsLoadBalancerController"),
      replicas: replicas("awsLoadBalancerController"),
    });
    const after = (previous: HelmAddOn, namespace?: PlatformNamespace): ITerraformDependable[] => [
      ...(namespace ? ns(namespace) : []),
      previous.release,
    ];
    this.certManager = new CertManager(this, "cert-manager", {
      where: where("certManager"),
      cluster,
      chart: chartFor(settings, "certManager"),
      replicas: replicas("certManager"),
      // The self-check asks the VPC's resolver: the private tier's ACL admits no port 53 to the internet.
      recursiveNameservers: [vpcResolverAddress(config.network.vpcCidr)],
      dependsOn: after(this.loadBalancerController.addOn, "certManager"),
    });
    this.externalSecrets = new ExternalSecrets(this, "external-secrets", {
      where: where("externalSecrets"),
      cluster,
      chart: chartFor(settings, "externalSecrets"),
      replicas: replicas("externalSecrets"),
      dependsOn: after(this.certManager.addOn, "externalSecrets"),
    });
    let previous: HelmAddOn = this.externalSecrets.addOn;
    if (cluster.karpenter) {
      this.karpenter = new KarpenterController(this, "karpenter", {
        where: where("karpenter"),
        cluster,
        chart: chartFor(settings, "karpenter"),
        crdChart: chartFor(settings, "karpenterCrd"),
        replicas: replicas("karpenter"),
        onFargate: runsOnFargate(config.fargate, KARPENTER_NAMESPACE),
        dependsOn: after(previous, "karpenter"),
      });
      previous = this.karpenter.addOn;
    }
    this.metricsServer = new MetricsServer(this, "metrics-server", {
      where: where("metricsServer"),
      chart: chartFor(settings, "metricsServer"),
      replicas: replicas("metricsServer"),
      dependsOn: after(previous),
    });
    this.externalDns = new ExternalDns(this, "external-dns", {
      where: where("externalDns"),
      cluster,
      chart: chartFor(settings, "externalDns"),
      // Production never lets a controller delete a record.
      policy: config.tier === "production" ? "upsert-only" : "sync",
      dependsOn: after(this.metricsServer.addOn),
    });
    this.kyverno = new Kyverno(this, "kyverno", {
      where: where("kyverno"),
      cluster,
      chart: chartFor(settings, "kyverno"),
      policiesChart: chartFor(settings, "kyvernoPolicies"),
      policyAction: settings.policyAction,
      replicas: replicas("kyverno"),
      dependsOn: after(this.externalDns.addOn, "kyverno"),
    });
    // Tracing (issue 16): last, so its Service is created with the load balancer controller's webhook up
    // and its pods admitted by Kyverno's policies; restricted pod security (uid 10001, RuntimeDefault seccomp).
    this.adotCollector = new AdotCollector(this, "adot-collector", {
      environment: config.name,
      region: config.region,
      roleArn: environment.adotRole.roleArn,
      chart: chartFor(settings, "adotCollector"),
      dependsOn: after(this.kyverno.policies, "observability"),
    });
    this.auth0 = new Auth0Config(this, "auth0", { ...config.auth0, environment: config.name, dependsOn: ns("aivo") });
    if (config.vault) {
      // The service account only; its ClusterSecretStore is a custom resource, in <env>-workloads.
      this.vault = new VaultIntegration(this, "vault", {
        ...config.vault,
        environment: config.name,
        clusterSecretStore: false,
        namespace: NAMESPACES.externalSecrets.name,
        dependsOn: ns("externalSecrets"),
      });
    }
    const efs = environment.fileStorage;
    if (efs) {
      this.efsStorageClasses = new EfsStorageClasses(this, "efs-storage-classes", {
        fileSystemId: efs.fileSystemId,
        accessPoints: config.fileStorage.accessPoints,
        accessPointIds: efs.accessPointIds,
      });
    }

    this.releases = [
      this.loadBalancerController.addOn,
      this.certManager.addOn,
      this.externalSecrets.addOn,
      ...(this.karpenter ? [this.karpenter.crds, this.karpenter.addOn] : []),
      this.metricsServer.addOn,
      this.externalDns.addOn,
      this.kyverno.addOn,
      this.kyverno.policies,
      this.adotCollector.addOn,
    ];

    this.albSecurityGroup = new AlbOriginSecurityGroup(this, "alb-origin-sg", {
      naming: cluster.naming,
      vpcId: cluster.vpcId,
      region: cluster.region,
      targetSecurityGroupId: cluster.nodeSecurityGroupId,
    });
    const roles = {
      aws_load_balancer_controller_role_arn: this.loadBalancerController.role.roleArn,
      cert_manager_role_arn: this.certManager.role.roleArn,
      external_secrets_role_arn: this.externalSecrets.role.roleArn,
      external_dns_role_arn: this.externalDns.role.roleArn,
      adot_collector_role_arn: environment.adotRole.roleArn,
    };
    for (const [name, value] of Object.entries(roles)) {
      new TerraformOutput(this, name, { value, description: `IRSA role of ${name.replace(/_role_arn$/, "").replace(/_/g, "-")}` });
    }
    new TerraformOutput(this, "otlp_endpoints", {
      value: { grpc: this.adotCollector.otlpGrpcEndpoint, http: this.adotCollector.otlpHttpEndpoint },
      description: "Where services send traces (OTEL_EXPORTER_OTLP_ENDPOINT): the ADOT collector, exporting to X-Ray",
    });
    if (this.efsStorageClasses) {
      new TerraformOutput(this, "efs_storage_classes", { value: this.efsStorageClasses.storageClassNames, description: "EFS StorageClass per consumer (a claim binds the consumer's access point first)" });
    }
    new TerraformOutput(this, "alb_security_group_id", {
      value: this.albSecurityGroup.securityGroupId,
      description: "Security group of the public ALB (HTTPS from CloudFront only); for the Ingress annotation alb.ingress.kubernetes.io/security-groups",
    });
    new TerraformOutput(this, "alb_security_group_ids", {
      value: this.albSecurityGroup.securityGroupIds,
      description: "Both security groups of the public ALB (CloudFront's, Route 53 health checkers'): the Ingress annotation alb.ingress.kubernetes.io/security-groups, comma-separated",
    });

    // --- compute and storage choices ---
    // Before observability: Prometheus, Alertmanager and Loki claim gp3 volumes.
    const env = this.config.name;
    this.storageClasses = new StorageClasses(this, "storage-classes", {
      ...this.config.storageClasses,
      where: `${env}.storageClasses`,
      kmsKeyArn: this.cluster.ebsKmsKeyArn,
    });
    const storageReady = Object.values(this.storageClasses.classes);
    if (this.config.verticalPodAutoscaler?.enabled ?? true) {
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(this, "vertical-pod-autoscaler", {
        ...this.config.verticalPodAutoscaler,
        where: `${env}.verticalPodAutoscaler`,
        dependsOn: [this.kyverno.policies.release],
      });
    }
    if (this.config.nodePools?.nvidiaDevicePlugin) {
      this.nvidiaDevicePlugin = new NvidiaDevicePlugin(this, "nvidia-device-plugin", { where: `${env}.nodePools`, dependsOn: [this.kyverno.policies.release] });
    }

    // --- observability and cluster backups, after the platform's controllers (webhooks up) ---
    const platformReady = this.kyverno.policies.release;
    // With a monitoring pool (issue 18), the observability workloads run there, on its taint.
    const placement = config.nodePools?.monitoring && (config.nodePools.monitoring.enabled ?? true) ? MONITORING_PLACEMENT : undefined;
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
      placement,
      dependsOn: [monitoringNamespace, platformReady, ...storageReady],
    });
    this.loki = new Loki(this, "loki", {
      ...config.observability.loki,
      ...irsa,
      where: `${config.name}.observability.loki`,
      naming: cluster.naming,
      region: config.region,
      retentionDays: config.logRetentionDays,
      accessLogBucketName: cluster.accessLogBucketName,
      forceDestroy,
      placement,
      dependsOn: [monitoringNamespace, platformReady, ...storageReady],
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
      accessLogBucketName: cluster.accessLogBucketName,
      drAccessLogBucketName: cluster.drAccessLogBucketName,
      drProvider: replicate ? this.addAwsProvider("aws-dr", config.drRegion!, "dr") : undefined,
      forceDestroy,
      // Its ServiceMonitor needs the prometheus-operator CRDs.
      dependsOn: [this.namespaces.of("velero"), this.monitoring.crds.release],
    });
    this.releases = [
      ...this.releases,
      ...(this.verticalPodAutoscaler ? [this.verticalPodAutoscaler] : []),
      ...(this.nvidiaDevicePlugin ? [this.nvidiaDevicePlugin] : []),
      this.monitoring.crds,
      this.monitoring.stack,
      this.loki.addOn,
      this.logShipping.addOn,
      this.velero.addOn,
    ];
    this.dataClassification = addDataClassification(this, environment);
    this.restoreDrill = addRestoreDrill(this, environment);
    new TerraformOutput(this, "helm_releases", {
      value: Object.fromEntries(this.releases.map((r) => [r.releaseName, `${r.chart.chart}@${r.chart.version}`])),
      description: "Installed charts and versions, by release name",
    });

  }
}
