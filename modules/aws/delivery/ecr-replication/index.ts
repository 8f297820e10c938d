import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/** The ECR repository filter type matching a name prefix. */
export const ECR_PREFIX_MATCH = "PREFIX_MATCH";
/**
 * The creation template's prefix: `ROOT`, every repository of the registry without a more specific
 * template. A template prefix is a namespace (`prod` matches `prod/…`); the platform's repositories
 * (`aivo-<env>-<service>`) have none, so only ROOT applies to them.
 */
export const ECR_TEMPLATE_ROOT_PREFIX = "ROOT";

export interface EcrReplicationProps {
  /** The environment whose repositories (`aivo-<env>-…`) are replicated. */
  readonly naming: Naming;
  /** The region images are copied to (the environment's DR region). */
  readonly destinationRegion: string;
  /** An AWS provider in `destinationRegion`: the replicas' CMK and creation template live there. */
  readonly destinationProvider: TerraformProvider;
}

/**
 * Copies every image pushed to the environment's repositories (names starting `aivo-<env>-`) to the
 * DR region of the same account, so the recovery side can pull them when the primary region is down.
 *
 * Replication does not copy a repository's encryption: ECR creates each replica repository from the
 * destination registry's creation template (applied for REPLICATION), here one encrypting with a CMK
 * in the DR region, through a role ECR assumes (ECR user guide, "Repository creation templates":
 * CreateRepository, ReplicateImage, TagResource, and CreateGrant/RetireGrant/DescribeKey on the key).
 *
 * ECR has ONE replication configuration per registry (account and region), and one ROOT template per
 * destination registry: this construct owns both. Only one environment per account and region may
 * create it (production); another environment that needs replication must add its prefix here.
 */
export class EcrReplication extends Construct {
  /** The registry's replication configuration (escape hatch). */
  readonly configuration: EcrReplicationConfiguration;
  /** The destination registry's creation template for replicas. */
  readonly template: EcrRepositoryCreationTemplate;
  /** The CMK of the replica repositories, in the DR region. */
  readonly replicaKey: CustomerManagedKey;
  /** The repository name prefix replicated. */
  readonly repositoryPrefix: string;

  constructor(scope: Construct, id: string, props: EcrReplicationProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    const { naming } = props;
    this.repositoryPrefix = `${naming.prefix}-`;
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(props.destinationRegion)) {
      throw new Error(`${naming.environment}.drRegion: "${props.destinationRegion}" is not an AWS region like us-west-2`);
    }
    const dr = props.destinationProvider;
    this.replicaKey = new CustomerManagedKey(this, "replica-key", {
      provider: dr,
      naming,
      purpose: "ecr-dr",
      description: `ECR replica repositories of ${naming.prefix} in ${props.destinationRegion}`,
    });
    const role = new IamRole(this, "template-role", {
      name: naming.name("ecr-replica-template"),
      description: `ECR creates ${naming.prefix}'s replica repositories in ${props.destinationRegion} with this role (CMK encryption)`,
      assumeRolePolicy: serviceAssumeRolePolicy("ecr.amazonaws.com"),
    });
    new IamRolePolicy(this, "template-role-policy", {
      role: role.name,
      name: "create-encrypted-replicas",
      policy: policyDocument([
        {
          Sid: "CreateReplicaRepositories",
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
          Resource: context.arn("ecr", `repository/${this.repositoryPrefix}*`, props.destinationRegion),
        },
        { Sid: "EncryptWithTheReplicaKey", Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], Resource: this.replicaKey.keyArn },
      ]),
    });
    this.template = new EcrRepositoryCreationTemplate(this, "replica-template", {
      provider: dr,
      prefix: ECR_TEMPLATE_ROOT_PREFIX,
      appliedFor: ["REPLICATION"],
      description: `Replicas of ${naming.prefix}'s repositories: CMK-encrypted, immutable tags`,
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.replicaKey.keyArn }],
      imageTagMutability: "IMMUTABLE",
      customRoleArn: role.arn,
    });
    this.configuration = new EcrReplicationConfiguration(this, "configuration", {
      replicationConfiguration: {
        rule: [
          {
            destination: [{ region: props.destinationRegion, registryId: context.accountId }],
            repositoryFilter: [{ filter: this.repositoryPrefix, filterType: ECR_PREFIX_MATCH }],
          },
        ],
      },
      // The template first: a replica created before it would keep AES-256 for good.
      dependsOn: [this.template],
    });
  }
}
