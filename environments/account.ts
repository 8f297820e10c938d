import type { GitHubSettings } from "../modules/github-oidc-roles";

/**
 * Settings of the AWS account as a whole (the `account` stack), beside the per-environment configs.
 * Each account-level concern adds its own typed section here.
 */
export interface AccountConfig {
  /** Value of the `CostCenter` tag of the bootstrap and account stacks' resources. */
  readonly costCenter: string;
  /** The GitHub repository whose Actions plan and apply (modules/github-oidc-roles): its OIDC roles trust only it. */
  readonly github: GitHubSettings;
}

/** The platform's AWS account. */
export const ACCOUNT: AccountConfig = {
  costCenter: "aivo-platform",
  // The repository CI runs in, as `<owner>/<repo>`: the CI roles trust only its OIDC tokens.
  github: { repository: "aivo-platform/aivo-infrastructure", defaultBranch: "main" },
};
