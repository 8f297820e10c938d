import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { BucketsSettings, PlatformBuckets, REPLICATED_BUCKETS, SecureBucket, accountScopedBucketName, PlatformBucketsProps, validateLifecycle } from "../modules/aws/data/buckets";
import { EfsStorageClasses, FileStorage, FileStorageProps, FileStorageSettings, validateFileStorage } from "../modules/aws/data/file-storage";
import { ServiceAccountRole } from "../modules/aws/compute/irsa-role";
import { Naming } from "../modules/shared/naming";
import { TimeseriesDatabase, TimeseriesDatabaseProps, TimeseriesSettings, validateTimeseries } from "../modules/aws/data/timeseries";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { ConfigError, validateEnvironments } from "../environments/validate";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const DISTRIBUTION = "arn:aws:cloudfront::123456789012:distribution/E123";
const bucketSettings: BucketsSettings = {
  artifacts: { transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER_IR" }], expirationDays: 365, noncurrentVersionExpirationDays: 30 },
  backups: { transitions: [{ days: 30, storageClass: "GLACIER_IR" }], expirationDays: 2555, noncurrentVersionExpirationDays: 90 },
  staticAssets: { noncurrentVersionExpirationDays: 30 },
  accessLogExpirationDays: 365,
};

function synthBuckets(extra: Partial<PlatformBucketsProps>, withDr: boolean) {
  return parse(
    Testing.synthScope((scope) => {
      const dr = withDr ? new AwsProvider(scope, "aws-dr", { region: "us-west-2", alias: "dr" }) : undefined;
      const buckets = new PlatformBuckets(scope, "buckets", {
        ...bucketSettings,
        naming: new Naming("aivo", "production"),
        tier: "staging",
        drProvider: dr,
        ...extra,
      });
      buckets.allowCloudFrontDistribution(DISTRIBUTION);
    }),
  );
}

describe("PlatformBuckets", () => {
  const prod = synthBuckets({ tier: "production", replicateToDrRegion: true }, true);
  const staging = synthBuckets({}, false);
  const bucketKey = (doc: ReturnType<typeof parse>, name: string) =>
    Object.entries(resourcesOf(doc, "aws_s3_bucket")).find(([, b]) => b.bucket.startsWith(`aivo-production-${name}-$`))![0];

  it("creates artifacts, backups and static assets, each under its own CMK, plus the access-log bucket", () => {
    const names = configsOf(staging, "aws_s3_bucket").map((b) => b.bucket.replace(/-\$\{.*\}$/, ""));
    expect(names.sort()).toEqual(["aivo-production-artifacts", "aivo-production-backups", "aivo-production-s3-access-logs", "aivo-production-static-assets"]);
    const sse = configsOf(staging, "aws_s3_bucket_server_side_encryption_configuration");
    const kms = sse.filter((c) => c.rule[0].apply_server_side_encryption_by_default.sse_algorithm === "aws:kms");
    expect(kms).toHaveLength(3);
    expect(new Set(kms.map((c) => c.rule[0].apply_server_side_encryption_by_default.kms_master_key_id)).size).toBe(3);
    // S3 server access logging delivers only into SSE-S3 buckets.
    expect(sse.filter((c) => c.rule[0].apply_server_side_encryption_by_default.sse_algorithm === "AES256")).toHaveLength(1);
  });

  it("versions every bucket, blocks public access and denies non-TLS (and TLS < 1.2) requests", () => {
    const buckets = configsOf(staging, "aws_s3_bucket").length;
    expect(configsOf(staging, "aws_s3_bucket_versioning").every((v) => v.versioning_configuration.status === "Enabled")).toBe(true);
    expect(configsOf(staging, "aws_s3_bucket_versioning")).toHaveLength(buckets);
    for (const block of configsOf(staging, "aws_s3_bucket_public_access_block")) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const p of configsOf(staging, "aws_s3_bucket_policy")) {
      const deny = policy(p.policy).Statement.find((s) => s.Sid === "DenyInsecureTransport")!;
      expect(deny).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    }
  });

  it("archives and expires per bucket as configured", () => {
    const rules = configsOf(staging, "aws_s3_bucket_lifecycle_configuration").map((c) => c.rule[0]);
    expect(rules).toContainEqual(
      expect.objectContaining({
        transition: [{ days: 30, storage_class: "STANDARD_IA" }, { days: 90, storage_class: "GLACIER_IR" }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ expiration: [{ days: 2555 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] }));
  });

  it("logs every data bucket's access to the log bucket", () => {
    const logging = configsOf(staging, "aws_s3_bucket_logging");
    expect(logging.map((l) => l.target_prefix).sort()).toEqual(["artifacts/", "backups/", "static-assets/"]);
    // The log bucket, by reference (so logging waits for it): the one named aivo-<env>-s3-access-logs-<account>.
    const [logId, logBucket] = Object.entries(resourcesOf(staging, "aws_s3_bucket")).find(([, b]) => b.bucket.startsWith("aivo-production-s3-access-logs-"))!;
    expect(logBucket).toBeDefined();
    expect(logging.every((l) => l.target_bucket === `\${aws_s3_bucket.${logId}.bucket}`)).toBe(true);
  });

  it("lets only the named CloudFront distribution read static assets and decrypt them", () => {
    const staticPolicy = Object.entries(resourcesOf(staging, "aws_s3_bucket_policy")).find(([k]) => k.includes("static"))![1];
    const read = policy(staticPolicy.policy).Statement.find((s) => s.Sid === "AllowCloudFrontOacRead")!;
    expect(read).toMatchObject({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION } } });
    const key = Object.entries(resourcesOf(staging, "aws_kms_key")).find(([k]) => k.includes("static"))![1];
    const decrypt = policy(key.policy).Statement.find((s) => s.Sid === "AllowCloudFrontOacDecrypt")!;
    expect(decrypt).toMatchObject({ Action: ["kms:Decrypt"], Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION } } });
    const others = configsOf(staging, "aws_kms_key").filter((k) => k.policy.includes("cloudfront"));
    expect(others).toHaveLength(1);
  });

  it("replicates artifacts, backups and static assets to DR buckets under their own CMKs in production only", () => {
    expect(configsOf(staging, "aws_s3_bucket_replication_configuration")).toHaveLength(0);
    const replications = configsOf(prod, "aws_s3_bucket_replication_configuration");
    expect(replications).toHaveLength(REPLICATED_BUCKETS.length);
    const sources = replications.map((r) => r.bucket);
    expect(sources).toEqual(REPLICATED_BUCKETS.map((b) => `\${aws_s3_bucket.${bucketKey(prod, b)}.id}`));
    expect(REPLICATED_BUCKETS).toEqual(expect.arrayContaining(["artifacts", "backups", "static-assets"]));
    for (const r of replications) {
      expect(r.rule[0].source_selection_criteria.sse_kms_encrypted_objects.status).toBe("Enabled");
      expect(r.rule[0].destination.encryption_configuration.replica_kms_key_id).toMatch(/-dr-key/);
    }
    const drKeys = configsOf(prod, "aws_kms_key").filter((k) => k.provider === "aws.dr");
    expect(drKeys).toHaveLength(REPLICATED_BUCKETS.length);
    expect(configsOf(prod, "aws_s3_bucket").filter((b) => b.provider === "aws.dr")).toHaveLength(REPLICATED_BUCKETS.length + 1); // replicas + DR log bucket
  });

  it("lets the distribution read the static assets' DR replica through OAC, as it reads the bucket (bucket and key policy)", () => {
    const replicaKey = bucketKey(prod, "static-assets-dr");
    const bucketPolicy = configsOf(prod, "aws_s3_bucket_policy").find((p) => p.bucket === `\${aws_s3_bucket.${replicaKey}.id}`)!;
    const read = policy(bucketPolicy.policy).Statement.find((s) => s.Sid === "AllowCloudFrontOacRead")!;
    expect(read).toMatchObject({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" });
    expect(read.Condition.StringEquals["AWS:SourceArn"]).toBe(DISTRIBUTION);
    const drKeyPolicies = configsOf(prod, "aws_kms_key").filter((k) => k.provider === "aws.dr" && /static-assets-dr/.test(k.description)).map((k) => policy(k.policy));
    expect(drKeyPolicies).toHaveLength(1);
    expect(drKeyPolicies[0].Statement.map((s) => s.Sid)).toContain("AllowCloudFrontOacDecrypt");
  });

  it.each([
    [{ tier: "production" as const }, "production.buckets.replicateToDrRegion: false; production replicates artifacts and backups"],
    [{ replicateToDrRegion: true }, "production.buckets.replicateToDrRegion: true but the environment has no drRegion"],
    [{ accessLogExpirationDays: 0 }, "production.buckets.accessLogExpirationDays: 0 must be a whole number of days ≥ 1"],
  ])("rejects %j", (bad, message) => {
    expect(() => synthBuckets(bad, false)).toThrow(message);
  });

  it.each([
    [{ transitions: [{ days: 10, storageClass: "STANDARD_IA" }], noncurrentVersionExpirationDays: 1 }, "x.transitions[0].days: 10 is below 30"],
    [{ transitions: [{ days: 30, storageClass: "GLACIER" }, { days: 30, storageClass: "DEEP_ARCHIVE" }], noncurrentVersionExpirationDays: 1 }, "x.transitions[1].days: 30 must be later"],
    [{ transitions: [{ days: 30, storageClass: "TAPE" }], noncurrentVersionExpirationDays: 1 }, 'x.transitions[0].storageClass: "TAPE" is not a transition class'],
    [{ transitions: [{ days: 90, storageClass: "GLACIER" }], expirationDays: 60, noncurrentVersionExpirationDays: 1 }, "x.expirationDays: 60 must be a whole number of days after the last transition (90 days)"],
    [{ noncurrentVersionExpirationDays: 0 }, "x.noncurrentVersionExpirationDays: 0 must be a whole number of days ≥ 1"],
  ])("rejects the lifecycle %j", (bad, message) => {
    expect(() => validateLifecycle("x", bad as never)).toThrow(message);
  });

  it("refuses to synthesize static assets no distribution may read", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new PlatformBuckets(scope, "buckets", { ...bucketSettings, naming: new Naming("aivo", "staging"), tier: "staging" });
      }),
    ).toThrow("staging.buckets.staticAssets: no CloudFront distribution was allowed to read the bucket");
  });
});

const efsSettings: FileStorageSettings = {
  throughputMode: "provisioned",
  provisionedThroughputMibps: 128,
  accessPoints: { "jarvis-checkpoints": { uid: 10001, gid: 10001, path: "/jarvis/checkpoints" } },
};

describe("FileStorage", () => {
  const efsProps: FileStorageProps = {
    ...efsSettings,
    naming: new Naming("aivo", "production"),
    tier: "production",
    vpcId: "vpc-1",
    privateSubnetIdsByAz: { "us-east-1a": "subnet-a", "us-east-1b": "subnet-b", "us-east-1c": "subnet-c" },
    allowedSecurityGroupIds: ["sg-nodes"],
    cluster: { name: "aivo-production-eks", oidcProviderArn: "arn:aws:iam::1:oidc-provider/x", oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X" },
  };
  const doc = parse(Testing.synthScope((scope) => new FileStorage(scope, "efs", efsProps)));

  it("encrypts with its CMK, provisioned throughput, backups on, lifecycle to IA and back", () => {
    const fs = onlyResource(doc, "aws_efs_file_system");
    expect(fs).toMatchObject({ encrypted: true, throughput_mode: "provisioned", provisioned_throughput_in_mibps: 128 });
    expect(fs.kms_key_id).toMatch(/aws_kms_key\.efs_key/);
    expect(fs.lifecycle_policy).toEqual([{ transition_to_ia: "AFTER_30_DAYS" }, { transition_to_primary_storage_class: "AFTER_1_ACCESS" }]);
    expect(onlyResource(doc, "aws_efs_backup_policy").backup_policy.status).toBe("ENABLED");
  });

  it("has a mount target per private subnet, keyed by AZ, admitting NFS from the nodes only", () => {
    expect(Object.keys(resourcesOf(doc, "aws_efs_mount_target")).map((k) => k.replace(/_[A-F0-9]{8}$/, ""))).toEqual([
      "efs_mount-target-us-east-1a",
      "efs_mount-target-us-east-1b",
      "efs_mount-target-us-east-1c",
    ]);
    expect(onlyResource(doc, "aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 2049, referenced_security_group_id: "sg-nodes" });
  });

  // EFS user guide, "Using IAM to control file system data access": the only keys NFS clients' requests carry.
  const NFS_CLIENT_CONDITION_KEYS = ["aws:SecureTransport", "aws:SourceIp", "elasticfilesystem:AccessPointArn", "elasticfilesystem:AccessedViaMountTarget"];

  it("requires TLS, and grants the client actions to the CSI driver's role by name, with NFS-honoured conditions only", () => {
    const statements = policy(onlyResource(doc, "aws_efs_file_system_policy").policy).Statement;
    expect(statements[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal.AWS).toMatch(/^\$\{aws_iam_role\.efs_csi-role_\w+\.arn\}$/);
    expect(allows[0].Action).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
    for (const s of statements) {
      const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c as object));
      for (const key of keys) expect(NFS_CLIENT_CONDITION_KEYS).toContain(key);
    }
  });

  it("lets the CSI driver's role mount and write through the mount targets in its own policy (the managed policy has no client actions)", () => {
    const inline = configsOf(doc, "aws_iam_role_policy").flatMap((p) => policy(p.policy).Statement);
    const client = inline.find((s) => s.Sid === "MountAndWriteThroughMountTargets")!;
    expect(client).toMatchObject({
      Effect: "Allow",
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    });
    expect(client.Resource).toMatch(/aws_efs_file_system\.efs_file-system_\w+\.arn/);
  });

  it("creates the access points and the EFS CSI add-on with its own role", () => {
    expect(onlyResource(doc, "aws_efs_access_point")).toMatchObject({
      posix_user: { uid: 10001, gid: 10001 },
      root_directory: { path: "/jarvis/checkpoints", creation_info: { owner_uid: 10001, owner_gid: 10001, permissions: "0750" } },
    });
    const addon = onlyResource(doc, "aws_eks_addon");
    expect(addon).toMatchObject({ addon_name: "aws-efs-csi-driver", cluster_name: "aivo-production-eks" });
    expect(addon.service_account_role_arn).toMatch(/aws_iam_role\.efs_csi-role/);
    const trust = policy(onlyResource(doc, "aws_iam_role").assume_role_policy).Statement[0];
    expect(Object.values(trust.Condition.StringEquals)).toContainEqual([
      "system:serviceaccount:kube-system:efs-csi-controller-sa",
      "system:serviceaccount:kube-system:efs-csi-node-sa",
    ]);
  });

  it.each([
    [{ throughputMode: "elastic" as const, provisionedThroughputMibps: undefined }, 'production.fileStorage.throughputMode: "elastic"; production uses "provisioned"'],
    [{ provisionedThroughputMibps: 0 }, "production.fileStorage.provisionedThroughputMibps: 0 must be a whole number of MiB/s in 1..3414"],
    [{ enabled: false }, "production.fileStorage.enabled: false; only development may turn EFS off"],
    [{ accessPoints: { Bad: { uid: 1, gid: 1, path: "/x" } } }, 'production.fileStorage.accessPoints.Bad: "Bad" is not a consumer name'],
    [{ accessPoints: { a1: { uid: 0, gid: 1, path: "/x" } } }, "production.fileStorage.accessPoints.a1.uid: 0 must be a POSIX id"],
    [{ accessPoints: { a1: { uid: 1, gid: 1, path: "relative" } } }, 'production.fileStorage.accessPoints.a1.path: "relative" is not an absolute directory'],
    [{ accessPoints: { a1: { uid: 1, gid: 1, path: "/x", permissions: "999" } } }, 'production.fileStorage.accessPoints.a1.permissions: "999" is not octal'],
    [{ transitionToIa: "AFTER_2_DAYS" }, 'production.fileStorage.transitionToIa: "AFTER_2_DAYS" is not an EFS transition'],
  ])("rejects %j", (bad, message) => {
    expect(() => validateFileStorage("production", "production", { ...efsSettings, ...(bad as Partial<FileStorageSettings>) })).toThrow(message);
  });

  it("rejects provisioned throughput settings with another mode", () => {
    expect(() => validateFileStorage("staging", "staging", { ...efsSettings, throughputMode: "elastic" })).toThrow(
      'staging.fileStorage.provisionedThroughputMibps: 128 is only used with throughputMode "provisioned"',
    );
  });

  it("gives each consumer a StorageClass that provisions EFS access points under its directory, TLS + IAM", () => {
    const sc = onlyResource(
      parse(
        Testing.synthScope((scope) => {
          new KubernetesProvider(scope, "kubernetes", {});
          new EfsStorageClasses(scope, "sc", { fileSystemId: "fs-123", accessPoints: efsSettings.accessPoints });
        }),
      ),
      "kubernetes_storage_class_v1",
    );
    expect(sc).toMatchObject({
      metadata: { name: "efs-jarvis-checkpoints" },
      storage_provisioner: "efs.csi.aws.com",
      reclaim_policy: "Retain",
      mount_options: ["tls", "iam"],
      parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-123", uid: "10001", gid: "10001", basePath: "/jarvis/checkpoints", directoryPerms: "750" },
    });
    const model = new StorageClass({
      metadata: { name: sc.metadata.name },
      provisioner: sc.storage_provisioner,
      reclaimPolicy: sc.reclaim_policy,
      volumeBindingMode: sc.volume_binding_mode,
      mountOptions: sc.mount_options,
      parameters: sc.parameters,
    });
    expect(() => (model as unknown as { validate(): void }).validate()).not.toThrow();
  });
});

const influxSettings: TimeseriesSettings = { instanceType: "db.influx.large", allocatedStorageGib: 400, multiAz: true, retentionDays: 365 };

describe("TimeseriesDatabase", () => {
  const props: TimeseriesDatabaseProps = {
    ...influxSettings,
    naming: new Naming("aivo", "production"),
    tier: "production",
    vpcId: "vpc-1",
    subnetIds: ["subnet-d1", "subnet-d2", "subnet-d3"],
    allowedSecurityGroupIds: ["sg-nodes"],
    accessLogBucketName: "aivo-production-s3-access-logs-1",
  };
  const doc = parse(Testing.synthScope((scope) => new TimeseriesDatabase(scope, "influx", props)));

  it("runs the tier's class, multi-AZ in the database subnets, private, on 8086 from the nodes only", () => {
    expect(onlyResource(doc, "aws_timestreaminfluxdb_db_instance")).toMatchObject({
      name: "aivo-production-influxdb",
      db_instance_type: "db.influx.large",
      allocated_storage: 400,
      deployment_type: "WITH_MULTIAZ_STANDBY",
      vpc_subnet_ids: ["subnet-d1", "subnet-d2", "subnet-d3"],
      publicly_accessible: false,
      port: 8086,
    });
    expect(onlyResource(doc, "aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 8086, referenced_security_group_id: "sg-nodes" });
  });

  it("takes the admin password from its CMK secret once and ignores later changes", () => {
    const instance = onlyResource(doc, "aws_timestreaminfluxdb_db_instance");
    expect(instance.password).toMatch(/^\$\{aws_secretsmanager_secret_version\.influx_admin-password-version_\w+\.secret_string\}$/);
    expect(instance.lifecycle.ignore_changes).toEqual(["password"]);
    expect(onlyResource(doc, "aws_secretsmanager_secret").kms_key_id).toMatch(/aws_kms_key\.influx_secret-key/);
  });

  it("delivers engine logs to its CMK bucket and publishes the retention", () => {
    const instance = onlyResource(doc, "aws_timestreaminfluxdb_db_instance");
    expect(instance.log_delivery_configuration[0].s3_configuration[0].enabled).toBe(true);
    // Created after the bucket policy that lets Timestream deliver there (it is checked at creation).
    const [policyKey] = Object.keys(doc.resource!.aws_s3_bucket_policy);
    expect(instance.depends_on).toContain(`aws_s3_bucket_policy.${policyKey}`);
    expect(doc.resource!.aws_s3_bucket_policy[policyKey].policy).toContain("AllowTimestreamInfluxDbLogDelivery");
    const sse = onlyResource(doc, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default;
    expect(sse.sse_algorithm).toBe("aws:kms");
    expect(onlyResource(doc, "aws_ssm_parameter")).toMatchObject({ name: "/aivo/production/influxdb/retention-days", value: "365" });
  });

  it.each([
    [{ multiAz: false }, "production.timeseries.multiAz: false; production runs InfluxDB with a multi-AZ standby"],
    [{ instanceType: "db.r6g.large" }, 'production.timeseries.instanceType: "db.r6g.large" is not a Timestream for InfluxDB class'],
    [{ allocatedStorageGib: 10 }, "production.timeseries.allocatedStorageGib: 10 is outside 20..16384"],
    [{ retentionDays: 0 }, "production.timeseries.retentionDays: 0 is outside 1..3650"],
    [{ enabled: false }, "production.timeseries.enabled: false; only development may turn the time-series database off"],
  ])("rejects %j", (bad, message) => {
    expect(() => validateTimeseries("production", "production", { ...influxSettings, ...bad })).toThrow(message);
  });
});

describe("storage and streaming settings of the environments", () => {
  const configs = [development, staging, production];
  const withChange = (name: string, change: (c: EnvironmentConfig) => EnvironmentConfig) => configs.map((c) => (c.name === name ? change(c) : c));

  it("accepts the configured environments", () => {
    expect(() => validateEnvironments(configs)).not.toThrow();
  });

  it.each([
    ["staging", (c: EnvironmentConfig) => ({ ...c, kafka: { ...c.kafka, enabled: false } }), "staging.kafka.enabled: false; only development may turn Kafka off"],
    ["production", (c: EnvironmentConfig) => ({ ...c, fileStorage: { ...c.fileStorage, enabled: false } }), "production.fileStorage.enabled: false; only development may turn EFS off"],
    ["staging", (c: EnvironmentConfig) => ({ ...c, timeseries: { ...c.timeseries, enabled: false } }), "staging.timeseries.enabled: false; only development"],
    [
      "development",
      (c: EnvironmentConfig) => ({ ...c, kafka: { ...c.kafka, topics: { ...c.kafka.topics, "journal.events": { partitions: 24, replicationFactor: 3, retention: "90 days" } } } }),
      'development.kafka.topics["journal.events"].retention: "90 days" does not parse',
    ],
  ] as const)("rejects a change to %s as a ConfigError", (name, change, message) => {
    expect(() => validateEnvironments(withChange(name, change))).toThrow(ConfigError);
    expect(() => validateEnvironments(withChange(name, change))).toThrow(message);
  });

  it("lets development turn the costly ones off, and keeps them on elsewhere", () => {
    expect([development.fileStorage.enabled, development.kafka.enabled, development.timeseries.enabled]).toEqual([false, false, false]);
    for (const c of [staging, production]) {
      expect([c.fileStorage.enabled, c.kafka.enabled, c.timeseries.enabled].every((e) => e ?? true)).toBe(true);
    }
  });

  it("rejects a multi-AZ InfluxDB with one subnet", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new TimeseriesDatabase(scope, "influx", {
          ...influxSettings,
          naming: new Naming("aivo", "staging"),
          tier: "staging",
          vpcId: "vpc-1",
          subnetIds: ["subnet-1"],
          allowedSecurityGroupIds: [],
        });
      }),
    ).toThrow("staging.timeseries.multiAz: true needs two or more subnets, 1 given");
  });
});

describe("ServiceAccountRole with additional service accounts (the EFS CSI node)", () => {
  const base = {
    naming: new Naming("aivo", "staging"),
    name: "x",
    description: "x",
    oidcProviderArn: "arn:aws:iam::1:oidc-provider/x",
    oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X",
    namespace: "kube-system",
    serviceAccount: "a-controller",
    statements: [{ Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
  };

  it("keeps one exact subject per account, no wildcard", () => {
    const role = onlyResource(
      parse(Testing.synthScope((scope) => new ServiceAccountRole(scope, "r", { ...base, additionalServiceAccounts: ["a-node"] }))),
      "aws_iam_role",
    );
    const condition = policy(role.assume_role_policy).Statement[0].Condition;
    expect(condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/X:sub"]).toEqual([
      "system:serviceaccount:kube-system:a-controller",
      "system:serviceaccount:kube-system:a-node",
    ]);
    expect(condition.StringLike).toBeUndefined();
  });

  it("rejects an additional name Kubernetes does not accept", () => {
    expect(() => Testing.synthScope((scope) => new ServiceAccountRole(scope, "r", { ...base, additionalServiceAccounts: ["efs-csi-*"] }))).toThrow(
      'staging.irsa.x.additionalServiceAccounts[0]: "efs-csi-*" is not a Kubernetes name',
    );
  });
});

describe("accountScopedBucketName", () => {
  it("appends the caller's account id, and refuses a name that can't start a bucket name", () => {
    const doc = parse(Testing.synthScope((scope) => new SecureBucket(scope, "b", { bucketName: accountScopedBucketName(scope, "aivo-dev-velero"), encryption: "SSE-S3", lifecycle: { noncurrentVersionExpirationDays: 1 } })));
    expect(onlyResource(doc, "aws_s3_bucket").bucket).toMatch(/^aivo-dev-velero-\$\{data\.aws_caller_identity\.\S+\.account_id\}$/);
    expect(() => Testing.synthScope((scope) => accountScopedBucketName(scope, "a".repeat(51), "dev.kubernetes.velero.bucket"))).toThrow(
      `dev.kubernetes.velero.bucket: "${"a".repeat(51)}" can't start a bucket name: use lowercase letters, digits, "." and "-", at most 50 characters before "-<account id>"`,
    );
    expect(() => Testing.synthScope((scope) => accountScopedBucketName(scope, "Aivo_Logs"))).toThrow('Aivo_Logs: "Aivo_Logs" can\'t start a bucket name');
  });
});
