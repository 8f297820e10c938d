import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, managedPolicyArn, policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { ciApplyPolicyName, ciBoundaryPolicyName } from "./boundary";
import { EnvironmentArns, applyStatements, boundaryStatements, servicesFor } from "./permissions";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
/** The issuer as IAM condition keys name it (`<host>:sub`, `<host>:aud`). */
const ISSUER_HOST = GITHUB_OIDC_URL.replace(/^https:\/\//, "");

/** Which GitHub repository CI runs in (the account's `github` settings, environments/account.ts). */
export interface GitHubSettings {
  /** `<owner>/<repo>`, exactly as GitHub spells it in the OIDC token's `sub` claim. */
  readonly repository: string;
  /** The branch applies and the scheduled drift check run from. @default "main" */
  readonly defaultBranch?: string;
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/-]{1,255}$/;

/** Checks GitHub settings; throws naming `<path>.<field>`, the value and what is allowed. */
export function validateGitHubSettings(path: string, settings: GitHubSettings): void {
  if (!REPOSITORY.test(settings.repository ?? "") || settings.repository.endsWith(".git")) {
    throw new Error(`${path}.repository: "${settings.repository}" is not "<owner>/<repo>" (e.g. "aivo-platform/aivo-infrastructure", no URL, no .git)`);
  }
  const branch = settings.defaultBranch ?? "main";
  if (!BRANCH.test(branch) || branch.includes("..") || branch.startsWith("refs/") || /[*?]/.test(branch)) {
    throw new Error(`${path}.defaultBranch: "${branch}" is not a branch name (e.g. "main", without refs/heads/ or wildcards)`);
  }
}

export interface GitHubOidcRolesProps {
  /** Names the resources: `aivo-<environment>-ci-plan`, `aivo-<environment>-ci-apply` (`project` is read from it). */
  readonly naming: Naming;
  /** The repository CI runs in. */
  readonly github: GitHubSettings;
  /** Where `github` comes from, for error messages (e.g. `account.github`). @default "github" */
  readonly configPath?: string;
  /** Environments CI plans and applies: a plan role and an apply role each (ENVIRONMENTS' names). */
  readonly environments: readonly string[];
  /** State scopes CI only plans (e.g. `account`, applied by an administrator): a plan role each. @default [] */
  readonly planOnly?: readonly string[];
  /** The state bucket; each role reaches only the keys `<project>/<scope>/…` and `<project>/<scope>-<stack>/…`. */
  readonly stateBucket: string;
  /** The S3 backend's DynamoDB lock table. */
  readonly lockTable: string;
  /** Region of the state bucket, lock table and state key. */
  readonly stateRegion: string;
  /** Alias of the state objects' CMK (`alias/aivo/bootstrap/terraform-state`). */
  readonly stateKeyAlias: string;
  /** Longest session, in seconds (1-12 hours). @default 3600 */
  readonly maxSessionDuration?: number;
  /**
   * SecureString parameters outside `/<project>/<scope>/` a scope's stacks read at plan time, by
   * scope (e.g. the account stack's PagerDuty URL under `/aivo/production/`): its plan role may read
   * and decrypt exactly these. @default none
   */
  readonly planReadsParameters?: Readonly<Record<string, readonly string[]>>;
}

/** The roles of one environment (or plan-only scope). */
export interface CiRoles {
  /** Read-only role pull requests (and the drift check on the default branch) plan with. */
  readonly planRoleArn: string;
  /** Role the default branch applies with, from the GitHub environment named after the AWS environment; absent for plan-only scopes. */
  readonly applyRoleArn?: string;
  /** The permissions boundary every role the apply role creates must carry; absent for plan-only scopes. */
  readonly boundaryArn?: string;
}

/**
 * GitHub Actions' identity in the account: the OIDC identity provider, and per environment a plan role
 * and an apply role, trusted only by this repository.
 *
 * - Plan role: trusts the repository's pull requests (`repo:<o>/<r>:pull_request`) and its default
 *   branch (`repo:<o>/<r>:ref:refs/heads/main`, for the scheduled drift check). AWS's `ReadOnlyAccess`
 *   to refresh every resource, plus read of its own state objects, the lock table's items of those
 *   keys, the state key through S3, and SSM parameters under `/<project>/<environment>/` through SSM.
 * - Apply role: trusts only `repo:<o>/<r>:environment:<environment>` — the GitHub environment, whose
 *   deployment-branch rule admits only the default branch and whose required reviewers approve each
 *   apply (README, "How CI reviews plans"). `ReadOnlyAccess` to refresh, and a policy derived from
 *   the code (`manage`, ./permissions.ts): the IAM services of the resource types the environment's
 *   stacks synthesize, by this environment's names where the service allows it. It creates roles
 *   only with the environment's permissions boundary (`aivo-<env>-ci-boundary`), so it can't mint a
 *   role stronger than the boundary. Explicit denies that no allow can lift: other scopes' state, the
 *   CI identity and the boundaries (no role can widen its own trust or policies), removing a
 *   boundary, and the state backend's bucket, table and key.
 * - Every role is denied the state objects of every other scope, so a development pull request
 *   can't read production's state.
 */
export class GitHubOidcRoles extends Construct {
  /** The OIDC identity provider (escape hatch). */
  readonly provider: IamOpenidConnectProvider;
  /** Its ARN, the `Federated` principal of the roles' trust policies. */
  readonly providerArn: string;
  /** The roles of each environment and plan-only scope, by name. */
  readonly roles: Readonly<Record<string, CiRoles>>;
  /** The Terraform resource types each environment's stacks synthesize (`manage`). */
  private readonly managed = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: GitHubOidcRolesProps) {
    super(scope, id);
    const path = props.configPath ?? "github";
    validateGitHubSettings(path, props.github);
    const planOnly = props.planOnly ?? [];
    const scopes = [...props.environments, ...planOnly];
    validateScopes(path, props.environments, planOnly);
    const maxSessionDuration = props.maxSessionDuration ?? 3600;
    if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      throw new Error(`${path}.maxSessionDuration: ${maxSessionDuration} is outside 3600-43200 seconds, the range IAM accepts`);
    }

    const context = AwsContext.of(this);
    const project = props.naming.project;
    const repo = props.github.repository;
    const branch = props.github.defaultBranch ?? "main";

    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: GITHUB_OIDC_URL,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    this.providerArn = this.provider.arn;

    const bucketArn = `arn:${context.partition}:s3:::${props.stateBucket}`;
    const tableArn = `arn:${context.partition}:dynamodb:${props.stateRegion}:${context.accountId}:table/${props.lockTable}`;
    const stateKeyArns = `arn:${context.partition}:kms:${props.stateRegion}:${context.accountId}:key/*`;
    const stateKeyAliasCondition = { "ForAnyValue:StringEquals": { "kms:ResourceAliases": props.stateKeyAlias } };
    const s3ViaService = `s3.${props.stateRegion}.amazonaws.com`;
    /** The state key prefixes of a scope: its own stack and its `<scope>-…` stacks (addons, workloads, dr). */
    const keyPrefixes = (s: string) => [`${project}/${s}/`, `${project}/${s}-`];
    const objectArns = (s: string) => keyPrefixes(s).map((p) => `${bucketArn}/${p}*`);
    const lockKeys = (s: string) => keyPrefixes(s).map((p) => `${props.stateBucket}/${p}*`);
    const ciRoleArnPattern = `arn:${context.partition}:iam::${context.accountId}:role/${project}-*-ci-*`;
    const ciPolicyArnPattern = `arn:${context.partition}:iam::${context.accountId}:policy/${project}-*-ci-*`;

    const trust = (subjects: string[]) =>
      policyDocument([
        {
          Sid: "AllowGitHubActionsOfThisRepository",
          Principal: { Federated: this.providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${ISSUER_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${ISSUER_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
            },
          },
        },
      ]);

    const stateStatements = (s: string, write: boolean): PolicyStatement[] => [
      { Sid: "ListOwnStateKeys", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": keyPrefixes(s).map((p) => `${p}*`) } } },
      {
        Sid: write ? "ReadWriteOwnState" : "ReadOwnState",
        Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
        Resource: objectArns(s),
      },
      {
        Sid: "LockOwnState",
        Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        Resource: tableArn,
        Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": lockKeys(s) } },
      },
      {
        Sid: "UseStateKeyThroughS3",
        Action: write ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
        Resource: stateKeyArns,
        Condition: { ...stateKeyAliasCondition, StringEquals: { "kms:ViaService": s3ViaService } },
      },
      ...(scopes.length > 1
        ? [
            {
              Sid: "DenyOtherScopesState",
              Effect: "Deny" as const,
              Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"],
              Resource: scopes.filter((other) => other !== s).flatMap(objectArns),
            },
          ]
        : []),
    ];

    /**
     * What the plan role needs beyond `ReadOnlyAccess` for the data sources its stacks read (issue 24,
     * finding 7; `DATA_SOURCE_ACTIONS` in ./permissions.ts): random passwords (no secret is read),
     * this scope's secrets' values and their keys through Secrets Manager (the ElastiCache AUTH token
     * the DR side reads, the same value the state the role already reads holds), its own parameters
     * and the listed ones.
     */
    const planReads = (naming: Naming, parameters: readonly string[]): PolicyStatement[] => {
      const secrets = `arn:${context.partition}:secretsmanager:*:${context.accountId}:secret:${naming.path().slice(1)}/*`;
      const parameterArn = (name: string) => `arn:${context.partition}:ssm:*:${context.accountId}:parameter${name.startsWith("/") ? name : `/${name}`}`;
      const parameterArns = [parameterArn(`${naming.path()}/*`), ...parameters.map(parameterArn)];
      return [
        { Sid: "GenerateRandomPasswords", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
        { Sid: "ReadOwnSecretValues", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secrets },
        {
          Sid: "DecryptOwnSecretsThroughSecretsManager",
          Action: "kms:Decrypt",
          Resource: `arn:${context.partition}:kms:*:${context.accountId}:key/*`,
          Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com", "kms:EncryptionContext:SecretARN": secrets } },
        },
        { Sid: "ReadParameters", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameterArns },
        ...(parameters.length > 0
          ? [
              {
                Sid: "DecryptListedParametersThroughSsm",
                Action: "kms:Decrypt",
                Resource: `arn:${context.partition}:kms:*:${context.accountId}:key/*`,
                Condition: { StringLike: { "kms:ViaService": "ssm.*.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": parameters.map(parameterArn) } },
              },
            ]
          : []),
      ];
    };

    const roles: Record<string, CiRoles> = {};
    for (const s of scopes) {
      const naming = new Naming(project, s);
      const plan = new IamRole(this, `${s}-plan`, {
        name: naming.name("ci", "plan"),
        description: `GitHub Actions plans of ${repo} for ${s}: read-only`,
        assumeRolePolicy: trust([`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/${branch}`]),
        maxSessionDuration,
      });
      new IamRolePolicyAttachment(this, `${s}-plan-read-only`, {
        role: plan.name,
        policyArn: managedPolicyArn(context.partition, "ReadOnlyAccess"),
      });
      new IamRolePolicy(this, `${s}-plan-state`, {
        role: plan.id,
        name: "terraform-state",
        policy: policyDocument([
          ...stateStatements(s, false),
          ...planReads(naming, props.planReadsParameters?.[s] ?? []),
          {
            Sid: "ReadOwnSecureParametersThroughSsm",
            Action: "kms:Decrypt",
            Resource: `arn:${context.partition}:kms:*:${context.accountId}:key/*`,
            Condition: {
              StringLike: {
                "kms:ViaService": "ssm.*.amazonaws.com",
                "kms:EncryptionContext:PARAMETER_ARN": `arn:${context.partition}:ssm:*:${context.accountId}:parameter${naming.path()}/*`,
              },
            },
          },
        ]),
      });
      roles[s] = { planRoleArn: plan.arn };
      if (planOnly.includes(s)) continue;

      const apply = new IamRole(this, `${s}-apply`, {
        name: naming.name("ci", "apply"),
        description: `GitHub Actions applies of ${repo} for ${s}, from the GitHub environment "${s}"`,
        assumeRolePolicy: trust([`repo:${repo}:environment:${s}`]),
        maxSessionDuration,
      });
      new IamRolePolicyAttachment(this, `${s}-apply-read-only`, {
        role: apply.name,
        policyArn: managedPolicyArn(context.partition, "ReadOnlyAccess"),
      });
      const arns: EnvironmentArns = {
        partition: context.partition,
        accountId: context.accountId,
        prefix: naming.prefix,
        secretPrefix: naming.path().slice(1),
        parameterPath: naming.path(),
        boundaryArn: `arn:${context.partition}:iam::${context.accountId}:policy/${ciBoundaryPolicyName(naming)}`,
      };
      const boundary = new IamPolicy(this, `${s}-boundary`, {
        name: ciBoundaryPolicyName(naming),
        description: `Permissions boundary of every role the ${s} stacks create: CI can't mint a role stronger than this`,
        policy: policyDocument(boundaryStatements(arns)),
      });
      const manage = new IamPolicy(this, `${s}-apply-manage`, {
        name: ciApplyPolicyName(naming),
        description: `What CI applies of ${s} may change: the services of the resource types its stacks synthesize`,
        policy: Lazy.stringValue({
          produce: () => {
            const types = this.managed.get(s);
            if (!types) throw new Error(`${path}: no resource types were given for "${s}" (GitHubOidcRoles.manage); its apply role would manage nothing`);
            return policyDocument(applyStatements(servicesFor(`${s} (CI apply role)`, types), arns));
          },
        }),
      });
      new IamRolePolicyAttachment(this, `${s}-apply-manage-attachment`, { role: apply.name, policyArn: manage.arn });
      new IamRolePolicy(this, `${s}-apply-guardrails`, {
        role: apply.id,
        name: "terraform-state-and-guardrails",
        policy: policyDocument([
          ...stateStatements(s, true),
          {
            Sid: "DenyChangingCiIdentity",
            Effect: "Deny",
            Action: ["iam:Create*", "iam:Update*", "iam:Delete*", "iam:Put*", "iam:Attach*", "iam:Detach*", "iam:Tag*", "iam:Untag*", "iam:Add*", "iam:Remove*"],
            Resource: [ciRoleArnPattern, ciPolicyArnPattern, this.providerArn],
          },
          {
            Sid: "DenyRolesWithoutTheBoundary",
            Effect: "Deny",
            Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            Resource: "*",
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": arns.boundaryArn } },
          },
          { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
          {
            Sid: "DenyChangingStateBucket",
            Effect: "Deny",
            Action: ["s3:DeleteBucket*", "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration"],
            Resource: bucketArn,
          },
          { Sid: "DenyChangingLockTable", Effect: "Deny", Action: ["dynamodb:DeleteTable", "dynamodb:UpdateTable"], Resource: tableArn },
          {
            Sid: "DenyOtherScopesLocks",
            Effect: "Deny",
            Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
            Resource: tableArn,
            Condition: { "ForAnyValue:StringNotLike": { "dynamodb:LeadingKeys": lockKeys(s) } },
          },
          {
            Sid: "DenyChangingStateKey",
            Effect: "Deny",
            Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:UpdateAlias", "kms:DeleteAlias"],
            Resource: stateKeyArns,
            Condition: stateKeyAliasCondition,
          },
        ]),
      });
      roles[s] = { planRoleArn: plan.arn, applyRoleArn: apply.arn, boundaryArn: boundary.arn };
    }
    this.roles = roles;
  }

  /**
   * Records the Terraform resource types the stacks of `environment` synthesize: its apply role's
   * policy grants their services (./permissions.ts). Call it once the environment's stacks are built;
   * an unmapped `aws_*` type stops synthesis with the fix.
   */
  manage(environment: string, resourceTypes: Iterable<string>): void {
    if (!this.roles[environment]?.applyRoleArn) throw new Error(`GitHubOidcRoles.manage: "${environment}" has no apply role`);
    const set = this.managed.get(environment) ?? new Set<string>();
    for (const t of resourceTypes) set.add(t);
    this.managed.set(environment, set);
  }
}


/**
 * Scope names must be distinct and none may be another's `<name>-…`: a role reaches the state keys
 * `<project>/<scope>-…`, so `prod` would reach `prod-eu`'s state.
 */
function validateScopes(path: string, environments: readonly string[], planOnly: readonly string[]): void {
  const all = [...environments, ...planOnly];
  if (environments.length === 0) throw new Error(`${path}: no environment to create CI roles for; pass ENVIRONMENTS' names`);
  for (const [i, s] of all.entries()) {
    if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(s)) throw new Error(`${path}: environment "${s}" is not a lowercase name part`);
    if (all.indexOf(s) !== i) throw new Error(`${path}: "${s}" is listed twice (environments and planOnly must be distinct)`);
    const prefix = all.find((other) => other !== s && s.startsWith(`${other}-`));
    if (prefix !== undefined) {
      throw new Error(`${path}: environment "${s}" starts with "${prefix}-", so ${prefix}'s CI roles would reach its state; rename one of them`);
    }
  }
}

export { RolePermissionsBoundary, ciBoundaryPolicyName } from "./boundary";
