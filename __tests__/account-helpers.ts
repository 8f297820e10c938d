import { Testing } from "cdktf";
import { ACCOUNT, AccountConfig } from "../environments/account";
import { AccountStack } from "../environments/account-stack";

/** A few resource types standing in for an environment's stacks when the account stack is synthesized alone. */
export const SAMPLE_ENVIRONMENT_TYPES = ["aws_vpc", "aws_iam_role", "aws_eks_cluster", "aws_secretsmanager_secret", "aws_ssm_parameter", "aws_sns_topic", "aws_sqs_queue"];

/**
 * The account stack alone (environments.test.ts synthesizes the environments; environments-resources.test.ts reads the shared synthesis):
 * each environment's CI apply role manages `SAMPLE_ENVIRONMENT_TYPES`, as buildPlatform would record
 * its stacks' resource types.
 */
export function accountStackAlone(environmentDomains: Readonly<Record<string, string>>, config: AccountConfig = ACCOUNT, otherRegions?: readonly string[]): AccountStack {
  const stack = new AccountStack(Testing.app(), { config, environmentDomains, otherRegions });
  for (const environment of Object.keys(environmentDomains)) stack.ci.manage(environment, SAMPLE_ENVIRONMENT_TYPES);
  return stack;
}
