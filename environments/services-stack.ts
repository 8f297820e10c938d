import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { DEFAULT_ORIGIN_HEALTH_CHECK_PATH } from "../modules/aws/edge/cloudfront";
import { EcrReplication } from "../modules/aws/delivery/ecr-replication";
import { POSTGRES_PORT } from "../modules/aws/data/database";
import { REDIS_PORT } from "../modules/aws/data/elasticache";
import { NODE_TYPE_LABEL, WORKLOAD_TYPE_TAINT_KEY } from "../modules/aws/compute/eks";
import { CustomerManagedKey } from "../modules/shared/kms";
import { CLUSTER_SECRET_STORE_NAME, HELM_CHARTS, NAMESPACES } from "../modules/kubernetes/platform";
import { KubernetesManifest } from "../modules/kubernetes/manifest";
import { GitOpsSource, oidcSecret, repositorySecret, servicesProject } from "../modules/kubernetes/gitops";
import { PROMETHEUS_LABEL } from "../modules/kubernetes/cluster/network-policies";
import { ApplicationService, ServiceChart, ServiceEnvironment, validateServiceRegistry } from "../modules/aws/delivery/service";
import { EnvironmentStack } from "./environment-stack";
import { originNames } from "../modules/aws/edge/origin-names";
import { KubernetesStack } from "./kubernetes-stack";
import type { PodGroup } from "../modules/kubernetes/capacity/pods";
import type { WorkloadsStack } from "./workloads-stack";

/** Prometheus of kube-prometheus-stack (release `kube-prometheus-stack`): the canary analysis's address. */
export const PROMETHEUS_URL = `http://${HELM_CHARTS.kubePrometheusStack.name}-prometheus.${NAMESPACES.monitoring.name}.svc:9090`;

/** `aivo/<env>/argocd/<name>`: a secret of Argo CD whose value an operator puts (deploy key, OIDC client secret). */
export function argoCdSecretName(environment: string, name: "repository" | "oidc"): string {
  return `aivo/${environment}/argocd/${name}`;
}

/**
 * `<env>-services` (state `aivo/<env>/services.tfstate`), applied after `<env>-workloads`: for each
 * service chart (helm/services/<name>), its AWS side (ECR repository, IRSA roles) and its Argo CD
 * Application; and Argo CD's own configuration for the services: the `aivo-services` AppProject and
 * the repository credentials (a deploy key from Secrets Manager through External Secrets). Argo CD
 * owns the services' Kubernetes objects; nothing else of them is here. Releases are commits to the
 * values files, not applies of this stack (docs/shipping-a-service.md).
 */
export class ServicesStack extends KubernetesStack {
  /** The workloads stack this one follows (ClusterSecretStore, CRDs, network defaults). */
  readonly workloads: WorkloadsStack;
  /** The CMK of the environment's ECR repositories. */
  readonly imageKey: CustomerManagedKey;
  /** The CMK of the services' own secrets and Argo CD's secrets. */
  readonly secretsKey: CustomerManagedKey;
  /** The Secrets Manager secret holding Argo CD's deploy key (value put by an operator). */
  readonly repositorySecret: SecretsmanagerSecret;
  /** Each service, keyed by name. */
  readonly services: Readonly<Record<string, ApplicationService>>;
  /** The pods Argo CD places from the charts (each service's `pods`), which no manifest of this stack shows. */
  readonly gitOpsPods: readonly PodGroup[];
  /** Image replication to the DR region (environments with a `drRegion`). */
  readonly replication?: EcrReplication;

  constructor(scope: Construct, environment: EnvironmentStack, workloads: WorkloadsStack, charts: readonly ServiceChart[], gitops: GitOpsSource) {
    super(scope, environment, "services");
    this.workloads = workloads;
    this.addDependency(workloads);
    validateServiceRegistry(charts.map((c) => c.spec));
    const { config, naming } = environment;
    const argoNamespace = NAMESPACES.argoCd.name;
    const recoveryWindowInDays = config.tier === "production" ? 30 : 0;

    this.imageKey = new CustomerManagedKey(this, "image-key", { naming, purpose: "ecr", description: `ECR repositories of ${naming.prefix}'s services` });
    this.secretsKey = new CustomerManagedKey(this, "secrets-key", {
      naming,
      purpose: "service-secrets",
      description: `${naming.prefix}'s services' own secrets (database users) and Argo CD's (deploy key, OIDC), in Secrets Manager`,
    });
    if (config.drRegion) {
      this.replication = new EcrReplication(this, "image-replication", {
        naming,
        destinationRegion: config.drRegion,
        destinationProvider: this.addAwsProvider("aws-dr", config.drRegion, "dr"),
      });
    }

    // Argo CD's secrets: containers only; an operator puts the values (docs/shipping-a-service.md, "First deploy").
    this.repositorySecret = new SecretsmanagerSecret(this, "argocd-repository", {
      name: argoCdSecretName(config.name, "repository"),
      description: `Argo CD's read-only deploy key of ${gitops.repoUrl} (JSON sshPrivateKey); value put by an operator`,
      kmsKeyId: this.secretsKey.keyArn,
      recoveryWindowInDays,
    });
    const project = new KubernetesManifest(this, "argocd-project", { where: `${config.name}.services`, object: servicesProject({ argoNamespace, namespace: NAMESPACES.aivo.name, source: gitops }) });
    const credentials = new KubernetesManifest(this, "argocd-repository-credentials", {
      where: `${config.name}.services`,
      object: repositorySecret({ argoNamespace, secretStoreName: CLUSTER_SECRET_STORE_NAME, remoteKey: argoCdSecretName(config.name, "repository"), source: gitops }),
      dependsOn: [this.repositorySecret],
    });
    if (config.kubernetes.argoCdSso) {
      const oidc = new SecretsmanagerSecret(this, "argocd-oidc", {
        name: argoCdSecretName(config.name, "oidc"),
        description: "Argo CD's OIDC client secret (JSON clientSecret); value put by an operator",
        kmsKeyId: this.secretsKey.keyArn,
        recoveryWindowInDays,
      });
      new KubernetesManifest(this, "argocd-oidc-secret", {
        where: `${config.name}.kubernetes.argoCdSso`,
        object: oidcSecret({ argoNamespace, secretStoreName: CLUSTER_SECRET_STORE_NAME, remoteKey: argoCdSecretName(config.name, "oidc") }),
        dependsOn: [oidc],
      });
    }

    const names = originNames(config.edge, config.dr?.traffic);
    const serviceEnvironment: ServiceEnvironment = {
      naming,
      tier: config.tier,
      region: config.region,
      namespace: NAMESPACES.aivo.name,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuerUrl: this.cluster.oidcIssuerUrl,
      imageKeyArn: this.imageKey.keyArn,
      secretsKeyArn: this.secretsKey.keyArn,
      dataStores: {
        postgres: {
          host: environment.database.address,
          port: POSTGRES_PORT,
          subnetCidrs: config.network.databaseSubnets,
          // Every environment's primary has an RDS-managed master secret (a cross-region replica has none).
          masterSecretArn: environment.database.masterUserSecretArn!,
          masterSecretKmsKeyArn: environment.database.masterUserSecretKmsKeyArn,
        },
        redis: {
          host: environment.cache.primaryEndpointAddress,
          port: REDIS_PORT,
          subnetCidrs: config.network.databaseSubnets,
          authTokenSecret: environment.cache.authTokenSecretName,
        },
      },
      secretStoreName: CLUSTER_SECRET_STORE_NAME,
      prometheus: {
        namespace: NAMESPACES.monitoring.name,
        url: PROMETHEUS_URL,
        podLabels: { ...PROMETHEUS_LABEL },
        serviceMonitorLabels: { release: HELM_CHARTS.kubePrometheusStack.name },
      },
      ingress: {
        groupName: naming.prefix,
        // With DR, origin.<domain> is the DR stack's failover pair: the ALB publishes its regional name.
        host: names.published,
        additionalHosts: names.served.filter((n) => n !== names.published),
        certificateArn: environment.edge.originCertificateArn,
        // The addons stack's groups, by id (cross-stack references): CloudFront's, and Route 53's health checkers'.
        securityGroup: workloads.addons.albSecurityGroup.securityGroupIds.join(","),
        sourceCidrs: config.network.publicSubnets,
        deletionProtection: config.tier === "production",
      },
      nodes: { label: NODE_TYPE_LABEL, taintKey: WORKLOAD_TYPE_TAINT_KEY },
      gitops: { argoNamespace, source: gitops },
      labels: { environment: config.name },
      networkLoadBalancers: {
        certificateArn: environment.edge.originCertificateArn,
        internalSubnetCidrs: config.network.privateSubnets,
        publicSubnetCidrs: config.network.publicSubnets,
        internalClientCidrs: [config.network.vpcCidr],
        deletionProtection: config.tier === "production",
      },
    };

    const services: Record<string, ApplicationService> = {};
    const vpaOff = config.verticalPodAutoscaler?.enabled === false;
    // The origin's health check (edge and DR failover) gets 200 only from a ready pod: its path is routed,
    // Exact, to the first public service whose readiness path it is.
    const specs = charts.map((c) => c.spec);
    const healthPath = config.edge.healthCheckPath ?? DEFAULT_ORIGIN_HEALTH_CHECK_PATH;
    const healthService = specs.find((s) => (s.publicPaths ?? []).length > 0 && s.probes.readiness === healthPath);
    if (specs.some((s) => (s.publicPaths ?? []).length > 0) && !healthService) {
      throw new Error(
        `${config.name}.edge.healthCheckPath: "${healthPath}" is the readiness path of no public service (${specs.filter((s) => s.publicPaths?.length).map((s) => `${s.name}: ${s.probes.readiness}`).join(", ")}); Route 53 would get the ALB's 404. Use one of them`,
      );
    }
    for (const chart of charts) {
      const { spec } = chart;
      if (spec.verticalPodAutoscaler && vpaOff) {
        throw new Error(
          `${config.name}.verticalPodAutoscaler.enabled: false, but service ${spec.name} asks for a VerticalPodAutoscaler (${chart.path}/values.yaml service.verticalPodAutoscaler: true); install the VPA or turn it off in the chart`,
        );
      }
      const peers = {
        calls: (spec.calls ?? []).map((callee) => ({ name: callee, port: charts.find((c) => c.spec.name === callee)!.spec.port })),
        callers: charts.filter((c) => (c.spec.calls ?? []).includes(spec.name)).map((c) => c.spec.name),
      };
      const service = new ApplicationService(this, spec.name, {
        chart,
        environment: serviceEnvironment,
        peers,
        originHealthCheckPath: spec === healthService ? healthPath : undefined,
      });
      service.application.resource.dependsOn = [project.resource.fqn, credentials.resource.fqn];
      services[spec.name] = service;
    }
    this.services = services;
    this.gitOpsPods = Object.values(services).map((s) => s.pods);

    const byService = <T>(pick: (s: ApplicationService) => T) => Object.fromEntries(Object.entries(services).map(([name, s]) => [name, pick(s)]));
    new TerraformOutput(this, "role_arns", { value: byService((s) => s.role.roleArn), description: "The IAM role of each service (IRSA, its service account's annotation)" });
    new TerraformOutput(this, "repository_urls", { value: byService((s) => s.repositoryUrl), description: "The ECR repository of each service (the build pushes here)" });
    new TerraformOutput(this, "applications", {
      value: byService((s) => ({ application: `${argoNamespace}/${s.node.id}`, values_file: s.release.valuesFile, strategy: s.release.strategy })),
      description: "Each service's Argo CD Application, values file and delivery strategy (argocd app get <application>)",
    });
    new TerraformOutput(this, "argocd_repository_secret", {
      value: this.repositorySecret.name,
      description: "Put Argo CD's deploy key here once: aws secretsmanager put-secret-value --secret-id <this> --secret-string '{\"sshPrivateKey\":\"…\"}'",
    });
  }
}
