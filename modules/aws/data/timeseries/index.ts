import { Construct } from "constructs";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { TimestreaminfluxdbDbInstance } from "@cdktf/provider-aws/lib/timestreaminfluxdb-db-instance";
import { AwsContext } from "../../../shared/aws-context";
import { SecureBucket, accountScopedBucketName } from "../secure-bucket";
import { DataStoreWiring, assertIntegerInRange } from "../datastore-common";
import { CustomerManagedKey } from "../../../shared/kms";
import { ServiceSecurityGroup } from "../../network/service-security-group";

/** The environment config section this module reads: `<env>.timeseries`. */
export const TIMESERIES_SECTION = "timeseries";
/** InfluxDB's HTTP API port; the only port the security group opens. */
export const INFLUXDB_PORT = 8086;
/** The service principal of Timestream for InfluxDB (log delivery to S3). */
export const TIMESTREAM_INFLUXDB_SERVICE = "timestream-influxdb.amazonaws.com";
/** `deployment_type` values. */
export const INFLUX_DEPLOYMENT = { singleAz: "SINGLE_AZ", multiAz: "WITH_MULTIAZ_STANDBY" } as const;
/** The InfluxDB organization, admin user and initial bucket Timestream creates (fixed at creation). */
export const INFLUX_ORGANIZATION = "aivo";
export const INFLUX_ADMIN_USER = "admin";
export const INFLUX_INITIAL_BUCKET = "journal";
/** The key prefix Timestream for InfluxDB writes its hourly engine logs under. */
export const INFLUX_LOG_PREFIX = "InfluxLogs/";
/** Length of the generated admin password (Timestream accepts 8-64). */
export const INFLUX_PASSWORD_LENGTH = 32;

/** Per-environment settings (`<env>.timeseries`). */
export interface TimeseriesSettings {
  /** Create the instance; only development may turn it off. @default true */
  readonly enabled?: boolean;
  /** Instance class, e.g. `db.influx.medium`, `db.influx.large`. */
  readonly instanceType: string;
  /** Storage, GiB (20-16384). */
  readonly allocatedStorageGib: number;
  /** A standby in a second AZ (`WITH_MULTIAZ_STANDBY`); required in production. @default false */
  readonly multiAz?: boolean;
  /** `InfluxIOIncludedT1` (3k IOPS), `T2` (12k) or `T3` (16k). @default "InfluxIOIncludedT1" */
  readonly storageType?: "InfluxIOIncludedT1" | "InfluxIOIncludedT2" | "InfluxIOIncludedT3";
  /**
   * Days the Journal service's time series are kept (the document's "Retention Policies"). InfluxDB
   * applies retention per bucket; the value is published in SSM for the bucket set-up. 0 = forever (not allowed).
   */
  readonly retentionDays: number;
  /** Days the engine logs stay in their S3 bucket. @default 90 */
  readonly logExpirationDays?: number;
}

export interface TimeseriesDatabaseProps extends TimeseriesSettings, Omit<DataStoreWiring, "alarmTopicArns" | "logRetentionDays"> {
  readonly tier: "development" | "staging" | "production";
  /** The database subnets (multi-AZ needs two or more). */
  readonly subnetIds: readonly string[];
  /** The S3 access-log bucket for the log bucket's server access logs. @default not logged */
  readonly accessLogBucketName?: string;
}

/** Checks the settings; throws `<env>.timeseries.<field>: …`. */
export function validateTimeseries(env: string, tier: string, s: TimeseriesSettings): void {
  const at = (f: string) => `${env}.${TIMESERIES_SECTION}.${f}`;
  if (s.enabled === false && tier !== "development") {
    throw new Error(`${at("enabled")}: false; only development may turn the time-series database off (${tier} keeps it)`);
  }
  if (!/^db\.influx\.[a-z0-9]+$/.test(s.instanceType)) {
    throw new Error(`${at("instanceType")}: "${s.instanceType}" is not a Timestream for InfluxDB class; use e.g. db.influx.medium`);
  }
  assertIntegerInRange(at("allocatedStorageGib"), s.allocatedStorageGib, 20, 16384, "Timestream for InfluxDB allocates 20-16384 GiB");
  if (tier === "production" && !s.multiAz) {
    throw new Error(`${at("multiAz")}: ${s.multiAz ?? false}; production runs InfluxDB with a multi-AZ standby, set it true`);
  }
  assertIntegerInRange(at("retentionDays"), s.retentionDays, 1, 3650, "a whole number of days (1-3650)");
  assertIntegerInRange(at("logExpirationDays"), s.logExpirationDays ?? 90, 1, 3650, "a whole number of days");
}

/**
 * Amazon Timestream for InfluxDB for the Journal service: one instance in the database subnets (multi-AZ
 * standby by config), a security group admitting 8086 from the nodes only, never public, engine logs
 * delivered to a CMK-encrypted S3 bucket, the admin password in a CMK-encrypted Secrets Manager secret,
 * and the retention (days) in SSM.
 *
 * The password: provider 6.25 has no write-only `password_wo` for this resource, so the value passed
 * at creation is stored in the (KMS-encrypted) state. The least-bad path, as for ElastiCache: Secrets
 * Manager generates it (`GetRandomPassword`, no `random` provider), our secret keeps it, the instance
 * reads it once; later changes are ignored, so rotating it with the influx CLI (and updating the secret)
 * leaves the value in state stale and useless.
 */
export class TimeseriesDatabase extends Construct {
  readonly instance: TimestreaminfluxdbDbInstance;
  readonly endpoint: string;
  readonly port: number = INFLUXDB_PORT;
  readonly securityGroupId: string;
  /** Our secret with the admin password (CMK). */
  readonly adminSecretArn: string;
  /** The secret Timestream itself creates with the initial auth parameters. */
  readonly serviceAuthSecretArn: string;
  readonly logBucket: SecureBucket;
  /** SSM parameter holding `retentionDays`. */
  readonly retentionParameterName: string;

  constructor(scope: Construct, id: string, props: TimeseriesDatabaseProps) {
    super(scope, id);
    const env = props.naming.environment;
    validateTimeseries(env, props.tier, props);
    const multiAz = props.multiAz ?? false;
    if (multiAz && props.subnetIds.length < 2) {
      throw new Error(`${env}.${TIMESERIES_SECTION}.multiAz: true needs two or more subnets, ${props.subnetIds.length} given`);
    }
    const name = props.naming.name("influxdb");
    const context = AwsContext.of(this);

    const logsKey = new CustomerManagedKey(this, "logs-key", {
      naming: props.naming,
      purpose: "influxdb-logs",
      description: `Timestream for InfluxDB ${name}: engine log bucket`,
      serviceGrants: [CustomerManagedKey.serviceGrant(context, TIMESTREAM_INFLUXDB_SERVICE, ["kms:GenerateDataKey*", "kms:Decrypt"])],
    });
    const logBucket: SecureBucket = new SecureBucket(this, "log-bucket", {
      bucketName: accountScopedBucketName(this, `${name}-logs`),
      encryption: { kmsKeyArn: logsKey.keyArn },
      lifecycle: { expirationDays: props.logExpirationDays ?? 90, noncurrentVersionExpirationDays: 7 },
      ...(props.accessLogBucketName ? { accessLogs: { bucketName: props.accessLogBucketName, prefix: "influxdb-logs/" } } : {}),
      policyStatements: () => [
        {
          Sid: "AllowTimestreamInfluxDbLogDelivery",
          Principal: { Service: TIMESTREAM_INFLUXDB_SERVICE },
          Action: "s3:PutObject",
          Resource: `${logBucket.bucketArn}/${INFLUX_LOG_PREFIX}*`,
          Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
        },
      ],
    });
    this.logBucket = logBucket;

    const secretKey = new CustomerManagedKey(this, "secret-key", {
      naming: props.naming,
      purpose: "influxdb-admin",
      description: `Timestream for InfluxDB ${name}: admin password secret`,
    });
    const password = new DataAwsSecretsmanagerRandomPassword(this, "admin-password-value", {
      passwordLength: INFLUX_PASSWORD_LENGTH,
      excludePunctuation: true,
      includeSpace: false,
      requireEachIncludedType: true,
    });
    const secret = new SecretsmanagerSecret(this, "admin-password", {
      name: props.naming.path("influxdb", "admin").slice(1),
      description: `Admin password of ${name} (initial value; rotate with the influx CLI and update this secret)`,
      kmsKeyId: secretKey.keyArn,
    });
    const version = new SecretsmanagerSecretVersion(this, "admin-password-version", {
      secretId: secret.id,
      secretString: password.randomPassword,
      lifecycle: { ignoreChanges: ["secret_string"] },
    });
    this.adminSecretArn = secret.arn;

    const sg = new ServiceSecurityGroup(this, "security-group", {
      name,
      description: `Timestream for InfluxDB ${name}`,
      vpcId: props.vpcId,
      port: INFLUXDB_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = sg.securityGroupId;

    this.instance = new TimestreaminfluxdbDbInstance(this, "instance", {
      name,
      dbInstanceType: props.instanceType,
      dbStorageType: props.storageType ?? "InfluxIOIncludedT1",
      allocatedStorage: props.allocatedStorageGib,
      deploymentType: multiAz ? INFLUX_DEPLOYMENT.multiAz : INFLUX_DEPLOYMENT.singleAz,
      vpcSubnetIds: [...props.subnetIds],
      vpcSecurityGroupIds: [sg.securityGroupId],
      publiclyAccessible: false,
      port: INFLUXDB_PORT,
      username: INFLUX_ADMIN_USER,
      password: version.secretString,
      organization: INFLUX_ORGANIZATION,
      bucket: INFLUX_INITIAL_BUCKET,
      logDeliveryConfiguration: [{ s3Configuration: [{ bucketName: logBucket.bucketName, enabled: true }] }],
      // The password is set once; rotating it (influx CLI) must not make Terraform replace the instance.
      lifecycle: { ignoreChanges: ["password"] },
      // Log delivery checks the bucket's policy when the instance is created (Timestream for InfluxDB
      // user guide, "Log delivery"): the policy first, as the audit trail waits for its bucket's.
      dependsOn: [logBucket.policy],
    });
    this.endpoint = this.instance.endpoint;
    this.serviceAuthSecretArn = this.instance.influxAuthParametersSecretArn;

    this.retentionParameterName = props.naming.path("influxdb", "retention-days");
    new SsmParameter(this, "retention", {
      name: this.retentionParameterName,
      type: "String",
      value: String(props.retentionDays),
      description: `Days the Journal service's InfluxDB buckets keep data (${name})`,
    });
  }
}
