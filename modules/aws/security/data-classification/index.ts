import { Construct } from "constructs";
import { Macie2Account } from "@cdktf/provider-aws/lib/macie2-account";
import { Macie2ClassificationJob } from "@cdktf/provider-aws/lib/macie2-classification-job";
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
   * The buckets that can hold personal data, by why: the scheduled job inspects exactly these.
   * At least one.
   */
  readonly buckets: Readonly<Record<string, string>>;
}

/**
 * A weekly Macie classification job over an environment's buckets that can hold personal data, with
 * AWS's recommended managed data identifiers (names, addresses, e-mail, credentials, …). The job is
 * created once per environment (Macie jobs are immutable apart from their status; a changed bucket
 * list replaces the job).
 */
export class DataClassificationJob extends Construct {
  readonly job: Macie2ClassificationJob;

  constructor(scope: Construct, id: string, props: DataClassificationJobProps) {
    super(scope, id);
    const path = `${props.naming.environment}.dataClassification`;
    const weekday = props.weekday ?? "SUNDAY";
    if (!WEEKDAYS.includes(weekday)) throw new Error(`${path}.weekday: "${weekday}" is not one of ${WEEKDAYS.join(", ")}`);
    const sampling = props.samplingPercentage ?? 100;
    if (!Number.isInteger(sampling) || sampling < 1 || sampling > 100) throw new Error(`${path}.samplingPercentage: ${sampling} is outside 1-100`);
    const buckets = Object.values(props.buckets);
    if (buckets.length === 0) throw new Error(`${path}: no bucket to classify; list the buckets that can hold personal data`);
    const context = AwsContext.of(this);
    this.job = new Macie2ClassificationJob(this, "job", {
      name: props.naming.name("personal-data"),
      description: `Weekly personal-data discovery over ${Object.keys(props.buckets).join(", ")}`,
      jobType: "SCHEDULED",
      scheduleFrequency: { weeklySchedule: weekday },
      initialRun: true,
      samplingPercentage: sampling,
      s3JobDefinition: { bucketDefinitions: [{ accountId: context.accountId, buckets }] },
    });
  }
}
