import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsContext } from "../../../shared/aws-context";
import { CustomerManagedKey } from "../../../shared/kms";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { Naming } from "../../../shared/naming";

export interface EncryptedLogGroupsProps {
  /** Names the key's alias `alias/<project>/<env>/<keyPurpose>`. */
  readonly naming: Naming;
  /** The key's purpose slug, e.g. `flow-logs`, `eks-logs`, `rds-logs`. */
  readonly keyPurpose: string;
  /** What the logs are, for the key's description (`Encrypts <description>`). */
  readonly description: string;
  /**
   * The log groups to create, by construct id → log group name (the name the writing service
   * expects, e.g. `/aws/eks/<cluster>/cluster`). At least one.
   */
  readonly logGroups: Readonly<Record<string, string>>;
  /** Days CloudWatch Logs keeps the events; one of `CLOUDWATCH_LOG_RETENTION_DAYS` (modules/shared/log-retention). */
  readonly retentionInDays: number;
  /** The field path validation errors name, e.g. `production.logRetentionDays`. */
  readonly retentionFieldPath: string;
  /** The provider (region) of the key and the groups. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * CloudWatch log groups created before the service that writes them (so they have retention and
 * encryption from the first event), all encrypted with one customer-managed key that only CloudWatch
 * Logs of this account and region may use. Every module that keeps logs uses this construct.
 */
export class EncryptedLogGroups extends Construct {
  /** The key encrypting every group. */
  readonly key: CustomerManagedKey;
  /** ARN of the key. */
  readonly keyArn: string;
  /** The log groups by construct id (escape hatch). */
  readonly groups: Readonly<Record<string, CloudwatchLogGroup>>;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupsProps) {
    super(scope, id);
    assertLogRetentionDays(props.retentionFieldPath, props.retentionInDays);
    const entries = Object.entries(props.logGroups);
    if (entries.length === 0) throw new Error(`${props.naming.environment}.${props.keyPurpose}: no log group given; name at least one`);
    const context = AwsContext.of(this, props.provider);
    this.key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: props.keyPurpose,
      description: `Encrypts ${props.description}`,
      serviceGrants: [CustomerManagedKey.cloudWatchLogsGrant(context)],
      provider: props.provider,
    });
    this.keyArn = this.key.keyArn;
    this.groups = Object.fromEntries(
      entries.map(([groupId, name]) => [
        groupId,
        new CloudwatchLogGroup(this, groupId, {
          provider: props.provider,
          name,
          retentionInDays: props.retentionInDays,
          kmsKeyId: this.key.keyArn,
        }),
      ]),
    );
  }

  /** The log group created under `groupId`; throws for an id not given in `logGroups`. */
  group(groupId: string): CloudwatchLogGroup {
    const group = this.groups[groupId];
    if (!group) throw new Error(`log-group: no group "${groupId}"; known: ${Object.keys(this.groups).join(", ")}`);
    return group;
  }
}
