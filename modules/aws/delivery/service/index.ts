// One service in one environment (ApplicationService), in parts: spec.ts (what a service's spec
// declares), props.ts (what the environment gives it), validate.ts (the rules), access.ts (its IAM
// statements), chart.ts, ingress.ts, nlb.ts and quantity.ts (what its chart is told).
import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { AwsContext } from "../../../shared/aws-context";
import { ServiceAccountRole } from "../../compute/irsa-role";
import { KubernetesManifest } from "../../../kubernetes/manifest";
import { serviceApplication } from "../../../kubernetes/gitops";
import { Naming } from "../../../shared/naming";
import { DataStoreKind, ServiceTierRelease } from "./spec";
import { awsAccessStatements, databaseBootstrapStatements } from "./access";
import { ApplicationServiceProps } from "./props";
import { usedDataStores, validateServiceInEnvironment } from "./validate";
import { nlbIngressRule, nlbServiceAnnotations } from "./nlb";
import { ingressPaths } from "./ingress";
import type { PodGroup } from "../../../kubernetes/capacity/pods";

export * from "./chart";
export * from "./ingress";
export * from "./quantity";
export * from "./spec";
export * from "./validate";
export * from "./nlb";
export * from "./props";
export * from "./access";

/** Images an ECR repository keeps unless the spec says otherwise. */
export const DEFAULT_KEEP_IMAGES = 30;
/** Days an untagged image (a failed or superseded push) stays before it expires. */
export const UNTAGGED_IMAGE_EXPIRY_DAYS = 7;
/** The ALB listeners' TLS policy: TLS 1.3 and 1.2 only. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Suffix of the service account (and IAM role) the PreSync database bootstrap runs as. */
export const DB_BOOTSTRAP_SUFFIX = "db-bootstrap";
/**
 * The tag External Secrets marks the Secrets Manager secrets it may write with: a PushSecret refuses a
 * secret without it, and fills an empty one that has it (providers/v1/aws/secretsmanager, `isManagedByESO`).
 */
export const EXTERNAL_SECRETS_MANAGED_TAG = { "managed-by": "external-secrets" } as const;

/** `aivo/<env>/<service>/`: the Secrets Manager prefix a service reads, and only it. */
export function serviceSecretPrefix(naming: Naming, service: string): string {
  return `${naming.project}/${naming.environment}/${service}/`;
}

/** `aivo/<env>/<service>/database`: the service's own database user (JSON `username`, `password`), written by its PreSync bootstrap. */
export function serviceDatabaseSecretName(naming: Naming, service: string): string {
  return `${serviceSecretPrefix(naming, service)}database`;
}

/** The ECR lifecycle policy: untagged images expire after a week, and only the last `keep` images stay. */
export function imageLifecyclePolicy(keep: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${UNTAGGED_IMAGE_EXPIRY_DAYS} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_EXPIRY_DAYS },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keep} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  });
}



/**
 * One service in one environment, from its chart (helm/services/<name>): cdktf creates the AWS side
 * and the Argo CD Application; Argo CD renders the chart and owns every Kubernetes object.
 *
 * AWS: an ECR repository (immutable tags, scan on push, the environment's CMK, a lifecycle keeping
 * the last `keepImages`), the service's IRSA role (reads only `aivo/<env>/<service>/*` secrets, plus
 * the spec's `awsAccess`), and with PostgreSQL the database bootstrap's role (reads the RDS-managed
 * master secret; writes only `aivo/<env>/<service>/database`, with the services' CMK). Kubernetes: the
 * Application (`serviceApplication`), whose `platform` values carry those ARNs and the environment's
 * endpoints, so the chart's names and the AWS side's come from one definition.
 */
export class ApplicationService extends Construct {
  /** The ECR repository (escape hatch). */
  readonly repository: EcrRepository;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/aivo-<env>-<service>`. */
  readonly repositoryUrl: string;
  /** The IRSA role of the service's pods. */
  readonly role: ServiceAccountRole;
  /** The IRSA role of the PreSync database bootstrap; undefined without PostgreSQL. */
  readonly bootstrapRole?: ServiceAccountRole;
  /**
   * `aivo/<env>/<service>/database`: the container of the service's database credentials (no value in
   * Terraform; the PreSync bootstrap's PushSecret fills it once); undefined without PostgreSQL.
   */
  readonly databaseSecret?: SecretsmanagerSecret;
  /** The tier's release (values file, recorded image, strategy). */
  readonly release: ServiceTierRelease;
  /**
   * The pods Argo CD places from the chart, which no manifest of the stack shows: the tier's
   * `replicas.min` (the HPA's lower bound) on the chart's placement (helm/library/aivo-service,
   * "aivo-service.placement": a dedicated group adds its selector and the toleration of its taint).
   * The synth-time capacity check counts them.
   */
  readonly pods: PodGroup;
  /** The `platform` values the Application hands the chart. */
  readonly platform: Record<string, unknown>;
  /** The Argo CD Application. */
  readonly application: KubernetesManifest;

  constructor(scope: Construct, id: string, props: ApplicationServiceProps) {
    super(scope, id);
    const { chart, environment: env } = props;
    const { spec } = chart;
    const naming = env.naming;
    const stores = usedDataStores(spec);
    validateServiceInEnvironment(
      naming.environment,
      env.tier,
      chart,
      (Object.keys(env.dataStores) as DataStoreKind[]).filter((k) => env.dataStores[k] !== undefined),
    );
    const where = `${naming.environment}.services.${spec.name}`;
    if (spec.networkLoadBalancer && !env.networkLoadBalancers) {
      throw new Error(`${where}.networkLoadBalancer: ${naming.environment} offers no Network Load Balancer settings (certificate, subnets); pass environment.networkLoadBalancers`);
    }
    (spec.calls ?? []).forEach((callee, i) => {
      if (!props.peers?.calls.some((c) => c.name === callee)) {
        throw new Error(`${where}.calls[${i}]: "${callee}" is not among the peers given to the template; pass it in peers.calls`);
      }
    });
    if (props.originHealthCheckPath !== undefined) {
      try {
        ingressPaths(spec, props.originHealthCheckPath);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
      }
    }
    this.release = chart.tiers[env.tier];
    const placement = spec.placement ?? "general";
    this.pods = {
      name: `${spec.name} (Argo CD, ${this.release.valuesFile})`,
      replicas: this.release.minReplicas,
      namespace: env.namespace,
      ...(placement !== "general"
        ? {
            nodeSelector: { [env.nodes.label]: placement },
            tolerations: [{ key: env.nodes.taintKey, operator: "Equal", value: placement, effect: "NoSchedule" }],
          }
        : {}),
    };
    const context = AwsContext.of(this);

    this.repository = new EcrRepository(this, "repository", {
      name: naming.name(spec.name),
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: env.imageKeyArn }],
      // Development is torn down at will (its buckets go with their objects too); elsewhere images outlive a destroy.
      forceDelete: env.tier === "development",
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: imageLifecyclePolicy(spec.keepImages ?? DEFAULT_KEEP_IMAGES),
    });
    this.repositoryUrl = this.repository.repositoryUrl;

    const secretArns = context.arn("secretsmanager", `secret:${serviceSecretPrefix(naming, spec.name)}*`);
    const irsa = { naming, oidcProviderArn: env.oidcProviderArn, oidcIssuerUrl: env.oidcIssuerUrl, namespace: env.namespace };
    this.role = new ServiceAccountRole(this, "role", {
      ...irsa,
      name: spec.name,
      description: `${spec.name} in ${naming.prefix}: ${spec.description}`,
      serviceAccount: spec.name,
      statements: [
        { Sid: "ReadOwnSecrets", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns },
        {
          Sid: "DecryptOwnSecrets",
          Action: "kms:Decrypt",
          Resource: context.arn("kms", "key/*"),
          Condition: {
            StringEquals: { "kms:ViaService": `secretsmanager.${context.region}.amazonaws.com` },
            ArnLike: { "kms:EncryptionContext:SecretARN": secretArns },
          },
        },
        ...awsAccessStatements(context, naming, spec.awsAccess ?? [], spec.name),
      ],
    });

    const postgres = stores.includes("postgres") ? env.dataStores.postgres : undefined;
    const redis = stores.includes("redis") ? env.dataStores.redis : undefined;
    const databaseSecret = serviceDatabaseSecretName(naming, spec.name);
    if (postgres) {
      this.databaseSecret = new SecretsmanagerSecret(this, "database-secret", {
        name: databaseSecret,
        description: `${spec.name}'s own PostgreSQL user (JSON username, password); the value is generated in the cluster by its database bootstrap (Argo CD PreSync)`,
        kmsKeyId: env.secretsKeyArn,
        // Development is torn down and rebuilt: its secret goes at once; production's can be restored for 30 days.
        recoveryWindowInDays: env.tier === "production" ? 30 : 0,
        tags: { ...EXTERNAL_SECRETS_MANAGED_TAG },
      });
      this.bootstrapRole = new ServiceAccountRole(this, "bootstrap-role", {
        ...irsa,
        name: `${spec.name}-${DB_BOOTSTRAP_SUFFIX}`,
        description: `${spec.name}'s database bootstrap in ${naming.prefix}: reads the RDS master secret, writes ${databaseSecret}`,
        serviceAccount: `${spec.name}-${DB_BOOTSTRAP_SUFFIX}`,
        statements: databaseBootstrapStatements(context, postgres, this.databaseSecret.arn, env.secretsKeyArn),
      });
    }

    const ingress = env.ingress;
    this.platform = {
      environment: naming.environment,
      region: env.region,
      labels: { ...(env.labels ?? {}) },
      image: { repository: this.repositoryUrl },
      serviceAccount: { roleArn: this.role.roleArn },
      secretStore: env.secretStoreName,
      ...(postgres
        ? {
            postgres: {
              host: postgres.host,
              port: postgres.port,
              subnetCidrs: [...postgres.subnetCidrs],
              serviceSecret: databaseSecret,
              masterSecretArn: postgres.masterSecretArn,
              bootstrapRoleArn: this.bootstrapRole!.roleArn,
            },
          }
        : {}),
      ...(redis ? { redis: { host: redis.host, port: redis.port, subnetCidrs: [...redis.subnetCidrs], authTokenSecret: redis.authTokenSecret } } : {}),
      prometheus: {
        namespace: env.prometheus.namespace,
        url: env.prometheus.url,
        podLabels: { ...env.prometheus.podLabels },
        serviceMonitorLabels: { ...env.prometheus.serviceMonitorLabels },
      },
      ingress: {
        groupName: ingress.groupName,
        host: ingress.host,
        ...(ingress.additionalHosts?.length ? { additionalHosts: [...ingress.additionalHosts] } : {}),
        certificateArn: ingress.certificateArn,
        securityGroup: ingress.securityGroup,
        sslPolicy: ALB_SSL_POLICY,
        // The origin's Route 53 health check, routed Exact to this service's readiness path.
        ...(props.originHealthCheckPath !== undefined ? { healthCheckPath: props.originHealthCheckPath } : {}),
        sourceCidrs: [...ingress.sourceCidrs],
        deletionProtection: ingress.deletionProtection,
      },
      peers: { calls: (props.peers?.calls ?? []).map((c) => ({ ...c })), callers: [...(props.peers?.callers ?? [])] },
      // The NLB's Service annotations and NetworkPolicy peers, computed once (modules/aws/delivery/service/nlb.ts).
      ...(spec.networkLoadBalancer && env.networkLoadBalancers
        ? {
            networkLoadBalancer: {
              annotations: nlbServiceAnnotations(spec, spec.networkLoadBalancer, env.networkLoadBalancers),
              sourceRanges: (spec.networkLoadBalancer.scheme ?? "internal") === "internal" ? [...env.networkLoadBalancers.internalClientCidrs] : [],
              ingressCidrs: nlbIngressRule(spec, spec.networkLoadBalancer, env.networkLoadBalancers).from.map((f) => f.ipBlock.cidr),
            },
          }
        : {}),
      nodes: { ...env.nodes },
    };
    this.application = new KubernetesManifest(this, "application", {
      where,
      object: serviceApplication({
        name: spec.name,
        argoNamespace: env.gitops.argoNamespace,
        namespace: env.namespace,
        source: env.gitops.source,
        chartPath: chart.path,
        valuesFile: this.release.valuesFile,
        platform: this.platform,
        labels: { ...(env.labels ?? {}) },
      }),
      // Argo CD writes status and operation; its controller adds the refresh annotation.
      computedFields: ["metadata.annotations", "metadata.labels", "operation", "status"],
    });
  }
}

