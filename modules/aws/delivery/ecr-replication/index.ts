import { Construct } from "constructs";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { AwsContext } from "../../../shared/aws-context";
import { Naming } from "../../../shared/naming";

/** The ECR repository filter type matching a name prefix. */
export const ECR_PREFIX_MATCH = "PREFIX_MATCH";

export interface EcrReplicationProps {
  /** The environment whose repositories (`aivo-<env>-…`) are replicated. */
  readonly naming: Naming;
  /** The region images are copied to (the environment's DR region). */
  readonly destinationRegion: string;
}

/**
 * Copies every image pushed to the environment's repositories (names starting `aivo-<env>-`) to the
 * DR region of the same account, so the recovery side can pull them when the primary region is down.
 *
 * ECR has ONE replication configuration per registry (account and region): this construct owns it.
 * Only one environment per account and region may create it (production); another environment that
 * needs replication must add its prefix here instead of creating a second one.
 */
export class EcrReplication extends Construct {
  /** The registry's replication configuration (escape hatch). */
  readonly configuration: EcrReplicationConfiguration;
  /** The repository name prefix replicated. */
  readonly repositoryPrefix: string;

  constructor(scope: Construct, id: string, props: EcrReplicationProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    this.repositoryPrefix = `${props.naming.prefix}-`;
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(props.destinationRegion)) {
      throw new Error(`${props.naming.environment}.drRegion: "${props.destinationRegion}" is not an AWS region like us-west-2`);
    }
    this.configuration = new EcrReplicationConfiguration(this, "configuration", {
      replicationConfiguration: {
        rule: [
          {
            destination: [{ region: props.destinationRegion, registryId: context.accountId }],
            repositoryFilter: [{ filter: this.repositoryPrefix, filterType: ECR_PREFIX_MATCH }],
          },
        ],
      },
    });
  }
}
