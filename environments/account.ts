/**
 * Settings of the AWS account as a whole (the `account` stack), beside the per-environment configs.
 * Each account-level concern adds its own typed section here.
 */
export interface AccountConfig {
  /** Value of the `CostCenter` tag of the bootstrap and account stacks' resources. */
  readonly costCenter: string;
}

/** The platform's AWS account. */
export const ACCOUNT: AccountConfig = {
  costCenter: "aivo-platform",
};
