import { Token } from "cdktf";
import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { AwsContext } from "../../../shared/aws-context";
import { NODE_TYPE_LABEL, WORKLOAD_TYPE_TAINT_KEY } from "../../compute/eks";
import { PolicyStatement } from "../../../shared/iam";
import { ServiceAccountRole } from "../../compute/irsa-role";
import { kafkaTopicStatements } from "../../data/kafka/client-access";
import { KubernetesManifest } from "../../../kubernetes/manifest";
import { Naming } from "../../../shared/naming";
import {
  DataStoreEndpoint,
  PrometheusTarget,
  PublicIngress,
  ServiceDataStores,
  ServicePeers,
  ServiceObjects,
  buildServiceObjects,
} from "./objects";
import { AwsAccess, DataStoreKind, ServiceSpec, ServiceTierValues } from "./spec";
import type { NetworkLoadBalancerEnvironment } from "./nlb";
import { assertImageTag, validateServiceInEnvironment, validateServiceSpec } from "./validate";

export * from "./objects";
export * from "./quantity";
export * from "./spec";
export * from "./validate";
export * from "./nlb";

/** Images an ECR repository keeps unless the spec says otherwise. */
export const DEFAULT_KEEP_IMAGES = 30;
/** Days an untagged image (a failed or superseded push) stays before it expires. */
export const UNTAGGED_IMAGE_EXPIRY_DAYS = 7;

/** `aivo/<env>/<service>/`: the Secrets Manager prefix a service reads, and only it. */
export function serviceSecretPrefix(naming: Naming, service: string): string {
  return `${naming.project}/${naming.environment}/${service}/`;
}

/** `aivo/<env>/<service>/database`: the service's own database user (JSON `username`, `password`). */
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

/** What an environment offers its services, built by the stack from the environment stack's outputs. */
export interface ServiceEnvironment {
  /** The environment's naming (`aivo-<env>-…`). */
  readonly naming: Naming;
  /** The environment's tier: selects `spec.tiers[tier]`. */
  readonly tier: string;
  /** The namespace services run in (`aivo`). */
  readonly namespace: string;
  /** The cluster's IAM OIDC provider ARN (IRSA trust). */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /** The CMK encrypting the environment's ECR repositories. */
  readonly imageKeyArn: string;
  /** The environment's data stores. */
  readonly dataStores: ServiceDataStores;
  /** The ClusterSecretStore the ExternalSecrets read from. */
  readonly secretStoreName: string;
  /** Prometheus, for the ServiceMonitor and the NetworkPolicy. */
  readonly prometheus: PrometheusTarget;
  /** The environment's public ALB. */
  readonly ingress: PublicIngress;
  /** Labels on every object besides `app.kubernetes.io/name` (e.g. `environment`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** What a service's Network Load Balancer gets (certificate, subnets). @default none: no service may ask for an NLB */
  readonly networkLoadBalancers?: NetworkLoadBalancerEnvironment;
}

export interface ApplicationServiceProps {
  /** The service. */
  readonly spec: ServiceSpec;
  /** The environment it runs in. */
  readonly environment: ServiceEnvironment;
  /**
   * The image tag to run: a plain string (validated, never `latest`) or a token / `${…}` expression
   * such as a Terraform variable (validated by the variable's own `validation`).
   */
  readonly imageTag: string;
  /** The services it calls and is called by (from the registry's `calls`). @default none */
  readonly peers?: ServicePeers;
  /** The origin health check's path when this service answers it (its readiness path, routed Exact). @default not this service */
  readonly originHealthCheckPath?: string;
}

/**
 * The IAM statements of `awsAccess`, each scoped to named resources of the environment. A consumer of
 * a Kafka topic reads as the consumer group named after the service (`service`).
 */
export function awsAccessStatements(context: AwsContext, naming: Naming, grants: readonly AwsAccess[], service = "*"): PolicyStatement[] {
  return grants.flatMap((grant, i): PolicyStatement | PolicyStatement[] => {
    switch (grant.kind) {
      case "s3-bucket": {
        const bucket = `arn:${context.partition}:s3:::${naming.name(grant.bucket)}`;
        const write = grant.access === "read-write";
        return {
          Sid: `S3${write ? "ReadWrite" : "Read"}${i}`,
          Action: ["s3:ListBucket", "s3:GetObject", ...(write ? ["s3:PutObject", "s3:DeleteObject"] : [])],
          Resource: [bucket, `${bucket}/*`],
        };
      }
      case "sqs-queue": {
        const consume = grant.access === "consume";
        return {
          Sid: `Sqs${consume ? "Consume" : "Send"}${i}`,
          Action: consume
            ? ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
            : ["sqs:SendMessage", "sqs:GetQueueAttributes"],
          Resource: context.arn("sqs", naming.name(grant.queue)),
        };
      }
      case "sns-topic":
        return { Sid: `SnsPublish${i}`, Action: "sns:Publish", Resource: context.arn("sns", naming.name(grant.topic)) };
      case "kafka-topic":
        return kafkaTopicStatements(context, naming, grant.topic, grant.access, service, i);
    }
  });
}

/**
 * The template every service of the platform is made from (the doc's `services/auth-svc` chart): one
 * `ServiceSpec` in, everything the service needs in one environment out.
 *
 * AWS: an ECR repository (immutable tags, scan on push, the environment's CMK, a lifecycle keeping
 * the last `keepImages`), an IRSA role reading only `aivo/<env>/<service>/*` secrets plus the spec's
 * `awsAccess`. Kubernetes (each object checked with its `kubernetes-models` schema): ServiceAccount,
 * Deployment (restricted security context, probes, requests/limits, zone spread, graceful stop,
 * node placement), Service, HPA, PDB, ExternalSecrets per data store, a NetworkPolicy, a
 * ServiceMonitor (with `metrics`) and an Ingress in the environment's IngressGroup (with `publicPaths`).
 */
export class ApplicationService extends Construct {
  /** The ECR repository (escape hatch). */
  readonly repository: EcrRepository;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/aivo-<env>-<service>`. */
  readonly repositoryUrl: string;
  /** The IRSA role. */
  readonly role: ServiceAccountRole;
  /** The image the Deployment runs, `<repositoryUrl>:<tag>`. */
  readonly image: string;
  /** The tier's values used here. */
  readonly values: ServiceTierValues;
  /** The typed objects, as built (before rendering). */
  readonly objects: ServiceObjects;
  /** The `kubernetes_manifest` of each object, keyed like `objects`. */
  readonly manifests: Readonly<Record<string, KubernetesManifest>>;

  constructor(scope: Construct, id: string, props: ApplicationServiceProps) {
    super(scope, id);
    const { spec, environment: env } = props;
    const naming = env.naming;
    const where = `${naming.environment}.services.${spec.name}`;
    validateServiceSpec(where, spec);
    const stores = Object.entries(env.dataStores) as [DataStoreKind, DataStoreEndpoint | undefined][];
    validateServiceInEnvironment(
      naming.environment,
      env.tier,
      spec,
      stores.filter(([, store]) => store !== undefined).map(([kind]) => kind),
      stores.filter(([, store]) => store?.secret !== undefined).map(([kind]) => kind),
    );
    if (spec.networkLoadBalancer && !env.networkLoadBalancers) {
      throw new Error(`${where}.networkLoadBalancer: ${naming.environment} offers no Network Load Balancer settings (certificate, subnets); pass environment.networkLoadBalancers`);
    }
    // A literal tag is checked here; a token or `${…}` expression by the Terraform variable's validation.
    (spec.calls ?? []).forEach((callee, i) => {
      if (!props.peers?.calls.some((c) => c.name === callee)) {
        throw new Error(`${where}.calls[${i}]: "${callee}" is not among the peers given to the template; pass it in peers.calls`);
      }
    });
    if (!Token.isUnresolved(props.imageTag) && !props.imageTag.includes("${")) assertImageTag(`${where}.imageTag`, props.imageTag);
    this.values = spec.tiers[env.tier];
    const context = AwsContext.of(this);

    this.repository = new EcrRepository(this, "repository", {
      name: naming.name(spec.name),
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: env.imageKeyArn }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: imageLifecyclePolicy(spec.keepImages ?? DEFAULT_KEEP_IMAGES),
    });
    this.repositoryUrl = this.repository.repositoryUrl;
    this.image = `${this.repositoryUrl}:${props.imageTag}`;

    const secretArns = context.arn("secretsmanager", `secret:${serviceSecretPrefix(naming, spec.name)}*`);
    this.role = new ServiceAccountRole(this, "role", {
      naming,
      name: spec.name,
      description: `${spec.name} in ${naming.prefix}: ${spec.description}`,
      oidcProviderArn: env.oidcProviderArn,
      oidcIssuerUrl: env.oidcIssuerUrl,
      namespace: env.namespace,
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

    this.objects = buildServiceObjects(
      spec,
      {
        namespace: env.namespace,
        values: this.values,
        image: this.image,
        roleArn: this.role.roleArn,
        serviceDatabaseSecret: serviceDatabaseSecretName(naming, spec.name),
        dataStores: env.dataStores,
        secretStoreName: env.secretStoreName,
        prometheus: env.prometheus,
        ingress: env.ingress,
        labels: env.labels ?? {},
        peers: props.peers ?? { calls: [], callers: [] },
        originHealthCheckPath: props.originHealthCheckPath,
        networkLoadBalancers: env.networkLoadBalancers,
      },
      { nodeLabel: NODE_TYPE_LABEL, taintKey: WORKLOAD_TYPE_TAINT_KEY },
    );
    const manifests: Record<string, KubernetesManifest> = {};
    for (const [key, object] of Object.entries(this.objects)) {
      manifests[key] = new KubernetesManifest(this, key, { where, object });
    }
    this.manifests = manifests;
  }
}

export type { DataStoreEndpoint };
