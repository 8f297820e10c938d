import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "../modules/aws-context";
import { Naming } from "../modules/naming";
import { declareOutputs } from "../modules/outputs";
import { AccountConfig } from "./account";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateBackendConfig, stateKey } from "./state";

/** The stack name: `cdktf deploy account`. */
export const ACCOUNT_STACK = "account";

export interface AccountStackProps {
  /** The account's settings (environments/account.ts). */
  readonly config: AccountConfig;
}

/**
 * What exists once per AWS account, whatever the number of environments, deployed after `bootstrap`
 * and before any environment: it keeps its state in the shared S3 backend
 * (`aivo/account/terraform.tfstate`). Account-level concerns (service-linked roles, the apex DNS zone
 * and its delegations, CI's identity provider and roles, audit and threat detection) are added here
 * as one construct each, so an environment stack never owns something another environment needs.
 */
export class AccountStack extends PlatformStack {
  readonly config: AccountConfig;
  readonly naming: Naming;

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, ACCOUNT_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: ACCOUNT_STACK, costCenter: props.config.costCenter },
    });
    this.config = props.config;
    this.naming = new Naming(STATE_BACKEND.project, ACCOUNT_STACK);
    new S3Backend(this, stateBackendConfig(stateKey(ACCOUNT_STACK)));
    const context = AwsContext.of(this);
    declareOutputs(this, {
      account_id: { value: context.accountId, description: "The AWS account the platform runs in" },
      partition: { value: context.partition, description: "The AWS partition (aws, aws-us-gov, …) for building ARNs" },
    });
  }
}
