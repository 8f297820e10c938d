import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddOn, HelmValues } from "../../helm-addon";
import { CustomerManagedKey, KMS_DATA_KEY_ACTIONS } from "../../../shared/kms";
import { GP3_STORAGE_CLASS, HELM_CHARTS, PodPlacement } from "../../platform";
import { PodGroup, placed } from "../../capacity/pods";
import { Naming } from "../../../shared/naming";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { NONCURRENT_VERSION_DAYS, SecureBucket, accountScopedBucketName } from "../../../aws/data/secure-bucket";

/** The service account Loki runs as (`system:serviceaccount:monitoring:loki`), the only one its role trusts. */
export const LOKI_SERVICE_ACCOUNT = "loki";
/** The date the v13/tsdb schema starts at; never change it once logs are written (add a new period instead). */
export const LOKI_SCHEMA_START = "2026-11-01";
/** Where log agents push: the chart's gateway service in `monitoring`. */
export const LOKI_PUSH_URL = `http://loki-gateway.${HELM_CHARTS.loki.namespace}.svc.cluster.local/loki/api/v1/push`;
/** Where Grafana queries Loki (the gateway). */
export const LOKI_QUERY_URL = `http://loki-gateway.${HELM_CHARTS.loki.namespace}.svc.cluster.local`;

/** Loki's deployment modes used here: one process (small environments) or read/write/backend targets. */
export const LOKI_MODES = ["SingleBinary", "SimpleScalable"] as const;
export type LokiMode = (typeof LOKI_MODES)[number];

/** Per-environment Loki settings (the environment config's `observability.loki`). */
export interface LokiSettings {
  /** `SingleBinary`: one pod runs every target (development); `SimpleScalable`: read, write and backend scale apart. */
  readonly mode: LokiMode;
  /** Pods per target (`singleBinary`, or each of read/write/backend), 1-10. @default 1 (SingleBinary) / 3 (SimpleScalable) */
  readonly replicas?: number;
}

/** The pods per target of `settings`. */
export function lokiReplicas(settings: LokiSettings): number {
  return settings.replicas ?? (settings.mode === "SingleBinary" ? 1 : 3);
}

/** Throws `<where>.<field>: …` for an unknown mode or a replica count the mode cannot run. */
export function validateLokiSettings(where: string, settings: LokiSettings): void {
  if (!settings || !LOKI_MODES.includes(settings.mode)) {
    throw new Error(`${where}.mode: "${settings?.mode}" is not one of ${LOKI_MODES.join(", ")}`);
  }
  const replicas = lokiReplicas(settings);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) {
    throw new Error(`${where}.replicas: ${replicas} is not a whole number between 1 and 10`);
  }
  if (settings.mode === "SingleBinary" && replicas !== 1) {
    throw new Error(`${where}.replicas: ${replicas}; SingleBinary runs one pod, use mode "SimpleScalable" to scale`);
  }
}

export interface LokiProps extends LokiSettings {
  /** Where the settings live in the configuration, e.g. `production.observability.loki`. */
  readonly where: string;
  /** The log bucket the chunk and ruler buckets send their S3 server access logs to (same region). */
  readonly accessLogBucketName: string;
  /** Names buckets (`aivo-<env>-loki-chunks`), role and key. */
  readonly naming: Naming;
  /** The region of the buckets (Loki's S3 client region). */
  readonly region: string;
  /** Days logs are kept: the compactor's retention and the buckets' lifecycle expiry. */
  readonly retentionDays: number;
  /** The cluster's IAM OIDC provider ARN. */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /** Delete the buckets with their objects on destroy (environments torn down at will). @default false */
  readonly forceDestroy?: boolean;
  /** The StorageClass of the write-ahead log and index cache volumes. @default GP3_STORAGE_CLASS */
  readonly storageClassName?: string;
  /** What must exist first (the monitoring namespace). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Run Loki's pods on a dedicated node pool. @default anywhere (the general nodes) */
  readonly placement?: PodPlacement;
}

/**
 * Loki (grafana-community chart) storing chunks and rules in two S3 buckets encrypted with its own
 * CMK, through an IRSA role limited to those buckets and that key; schema v13 on tsdb; the
 * compactor deletes logs after `retentionDays`, and the buckets' lifecycle expires objects at the
 * same age (a backstop if the compactor stops).
 */
export class Loki extends Construct {
  /** The CMK of both buckets. */
  readonly key: CustomerManagedKey;
  /** `aivo-<env>-loki-chunks`: log chunks and the tsdb index. */
  readonly chunksBucket: SecureBucket;
  /** `aivo-<env>-loki-ruler`: the ruler's rule groups. */
  readonly rulerBucket: SecureBucket;
  /** Loki's IRSA role (`monitoring/loki`). */
  readonly role: ServiceAccountRole;
  /** The Helm release. */
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const { where, naming } = props;
    validateLokiSettings(where, props);
    const replicas = lokiReplicas(props);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`${where}.retentionDays: ${props.retentionDays} is not a whole number of days of at least 1`);
    }

    this.key = new CustomerManagedKey(this, "key", { naming, purpose: "loki", description: `Loki log chunks and rules of ${naming.prefix}` });
    const bucket = (name: string) =>
      new SecureBucket(this, `${name}-bucket`, {
        where: `${where}.${name}Bucket`,
        bucketName: accountScopedBucketName(this, naming.name("loki", name), `${where}.${name}Bucket`),
        encryption: { kmsKeyArn: this.key.keyArn },
        lifecycle: { expirationDays: props.retentionDays, noncurrentVersionExpirationDays: NONCURRENT_VERSION_DAYS },
        forceDestroy: props.forceDestroy,
        accessLogs: { bucketName: props.accessLogBucketName, prefix: `${naming.name("loki", name)}/` },
      });
    this.chunksBucket = bucket("chunks");
    this.rulerBucket = bucket("ruler");

    this.role = new ServiceAccountRole(this, "role", {
      naming,
      name: "loki",
      description: `Loki in ${naming.prefix}: read and write its chunk and ruler buckets`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: HELM_CHARTS.loki.namespace,
      serviceAccount: LOKI_SERVICE_ACCOUNT,
      statements: [
        { Sid: "ListLokiBuckets", Action: ["s3:ListBucket"], Resource: [this.chunksBucket.bucketArn, this.rulerBucket.bucketArn] },
        {
          Sid: "ReadWriteLokiObjects",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: [`${this.chunksBucket.bucketArn}/*`, `${this.rulerBucket.bucketArn}/*`],
        },
        { Sid: "UseLokiKey", Action: [...KMS_DATA_KEY_ACTIONS], Resource: this.key.keyArn },
      ],
    });

    const scalable = props.mode === "SimpleScalable";
    const placement = props.placement ? (JSON.parse(JSON.stringify(props.placement)) as HelmValues) : {};
    const storageClass = props.storageClassName ?? GP3_STORAGE_CLASS;
    const values: HelmValues = {
      deploymentMode: props.mode,
      serviceAccount: { create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": this.role.roleArn } },
      loki: {
        auth_enabled: false,
        commonConfig: { replication_factor: scalable ? Math.min(3, replicas) : 1 },
        schemaConfig: {
          configs: [
            { from: LOKI_SCHEMA_START, store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } },
          ],
        },
        storage: {
          type: "s3",
          bucketNames: { chunks: this.chunksBucket.bucketName, ruler: this.rulerBucket.bucketName },
          s3: { region: props.region },
        },
        limits_config: { retention_period: `${props.retentionDays * 24}h` },
        compactor: { retention_enabled: true, delete_request_store: "s3" },
      },
      singleBinary: { replicas: scalable ? 0 : 1, persistence: { storageClass }, ...placement },
      read: { replicas: scalable ? replicas : 0, ...placement },
      write: { replicas: scalable ? replicas : 0, persistence: { storageClass }, ...placement },
      backend: { replicas: scalable ? replicas : 0, persistence: { storageClass }, ...placement },
      gateway: { ...placement },
      // memcached caches pay off at production volume only; the chunks cache's 8 GiB default would not
      // fit the general node group's m6i.large/xlarge nodes.
      chunksCache: { enabled: scalable, allocatedMemory: 2048, ...placement },
      resultsCache: { enabled: scalable, ...placement },
      minio: { enabled: false },
      lokiCanary: { enabled: false },
      test: { enabled: false },
    };
    const on = placed(props.placement);
    const pods: PodGroup[] = scalable
      ? [
          ...["read", "write", "backend"].map((name) => ({ name, replicas, ...on })),
          { name: "gateway", replicas: 1, ...on },
          { name: "chunks-cache", replicas: 1, ...on },
          { name: "results-cache", replicas: 1, ...on },
        ]
      : [
          { name: "single-binary", replicas: 1, ...on },
          { name: "gateway", replicas: 1, ...on },
        ];
    this.addOn = new HelmAddOn(this, "release", {
      where,
      chart: HELM_CHARTS.loki,
      pods,
      defaultValues: values,
      // On a dedicated pool, the pods wait for its NodePool, which <env>-workloads creates after this
      // stack (a custom resource): Helm must not wait for them.
      wait: props.placement === undefined,
      dependsOn: props.dependsOn,
    });
  }
}
