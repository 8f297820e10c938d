import { Construct } from "constructs";
import { assertIntegerInRange } from "../../data/datastore-common";
import { Macie2Account } from "@cdktf/provider-aws/lib/macie2-account";
import { Macie2ClassificationJob } from "@cdktf/provider-aws/lib/macie2-classification-job";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { AwsContext } from "../../../shared/aws-context";
import { Naming } from "../../../shared/naming";

/** Macie for the account (account stack). Its findings reach the account's topics through ThreatDetection's `macie` routes. */
export class MacieAccount extends Construct {
  readonly account: Macie2Account;

  constructor(scope: Construct, id: string, props: { readonly findingPublishingFrequency?: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS" } = {}) {
    super(scope, id);
    this.account = new Macie2Account(this, "account", { status: "ENABLED", findingPublishingFrequency: props.findingPublishingFrequency ?? "FIFTEEN_MINUTES" });
  }
}

/** Days of the week Macie's weekly schedule accepts. */
export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

/** An environment's `dataClassification` settings. */
export interface DataClassificationSettings {
  /** Run the job in this environment. @default true for the production tier (real people's data), false elsewhere */
  readonly enabled?: boolean;
  /** The day of the week the job runs. @default "SUNDAY" */
  readonly weekday?: (typeof WEEKDAYS)[number];
  /** Share of the objects inspected per run, 1-100. @default 100 */
  readonly samplingPercentage?: number;
}

export interface DataClassificationJobProps extends DataClassificationSettings {
  /** Names the job `aivo-<env>-personal-data`. */
  readonly naming: Naming;
  /**
   * The buckets that can hold personal data, by label: their names, and the CMKs their objects are
   * encrypted with (Macie's service-linked role gets a Decrypt grant on each, or it skips the
   * objects). At least one.
   */
  readonly buckets: Readonly<Record<string, { readonly name: string; readonly kmsKeyArn: string }>>;
}

/** The role Macie reads objects with (created when Macie is enabled, by the account stack). */
export function macieServiceLinkedRoleArn(context: AwsContext): string {
  return `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
}

/**
 * A weekly Macie classification job over an environment's buckets that can hold personal data, with
 * Macie's default (recommended) managed data identifiers (names, addresses, e-mail, credentials, …),
 * and a Decrypt grant for Macie's role on each bucket's CMK. The job is
 * created once per environment (Macie jobs are immutable apart from their status; a changed bucket
 * list replaces the job).
 */
export class DataClassificationJob extends Construct {
  readonly job: Macie2ClassificationJob;
  /** The Decrypt grants of Macie's role on the buckets' keys, by bucket label. */
  readonly grants: Readonly<Record<string, KmsGrant>>;

  constructor(scope: Construct, id: string, props: DataClassificationJobProps) {
    super(scope, id);
    const path = `${props.naming.environment}.dataClassification`;
    const weekday = props.weekday ?? "SUNDAY";
    if (!WEEKDAYS.includes(weekday)) throw new Error(`${path}.weekday: "${weekday}" is not one of ${WEEKDAYS.join(", ")}`);
    const sampling = props.samplingPercentage ?? 100;
    assertIntegerInRange(`${path}.samplingPercentage`, sampling, 1, 100, "the share of objects inspected, in percent");
    const buckets = Object.values(props.buckets).map((b) => b.name);
    if (buckets.length === 0) throw new Error(`${path}: no bucket to classify; list the buckets that can hold personal data`);
    const context = AwsContext.of(this);
    // Macie reads SSE-KMS objects only when its role may decrypt them: a grant per key, no key policy change.
    this.grants = Object.fromEntries(
      Object.entries(props.buckets).map(([label, bucket]) => [
        label,
        new KmsGrant(this, `grant-${label}`, {
          name: props.naming.name("macie", label),
          keyId: bucket.kmsKeyArn,
          granteePrincipal: macieServiceLinkedRoleArn(context),
          operations: ["Decrypt"],
        }),
      ]),
    );
    this.job = new Macie2ClassificationJob(this, "job", {
      name: props.naming.name("personal-data"),
      description: `Weekly personal-data discovery over ${Object.keys(props.buckets).join(", ")}`,
      jobType: "SCHEDULED",
      scheduleFrequency: { weeklySchedule: weekday },
      initialRun: true,
      samplingPercentage: sampling,
      s3JobDefinition: { bucketDefinitions: [{ accountId: context.accountId, buckets }] },
      dependsOn: Object.values(this.grants),
    });
  }
}
