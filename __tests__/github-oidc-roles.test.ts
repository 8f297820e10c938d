import { Testing } from "cdktf";
import { ACCOUNT } from "../environments/account";
import { STATE_BACKEND } from "../environments/state";
import { GitHubOidcRoles, GitHubOidcRolesProps, validateGitHubSettings } from "../modules/aws/security/github-oidc-roles";
import { servicesFor } from "../modules/aws/security/github-oidc-roles/permissions";
import { Naming } from "../modules/shared/naming";
import { TerraformJson, parse, policy, resourcesOf } from "./helpers";
import { accountStackAlone } from "./account-helpers";

const ENVS = ["development", "staging", "production"];
const REPO = ACCOUNT.github.repository;
const stack = accountStackAlone({ development: "dev.aivo.edu", staging: "staging.aivo.edu", production: "aivo.edu" });
const doc: TerraformJson = parse(Testing.synth(stack));

const role = (name: string) => Object.values(resourcesOf(doc, "aws_iam_role")).find((r) => r.name === name)!;
const roleKey = (name: string) => Object.entries(resourcesOf(doc, "aws_iam_role")).find(([, r]) => r.name === name)![0];
const inline = (roleName: string) => {
  const key = roleKey(roleName);
  return policy(Object.values(resourcesOf(doc, "aws_iam_role_policy")).find((p) => p.role === `\${aws_iam_role.${key}.id}`)!.policy);
};
const attached = (roleName: string) =>
  Object.values(resourcesOf(doc, "aws_iam_role_policy_attachment"))
    .filter((a) => a.role === `\${aws_iam_role.${roleKey(roleName)}.name}`)
    .map((a) => a.policy_arn.replace(/^arn:\$\{[^}]+\}/, "arn:aws"));
const bySid = (p: ReturnType<typeof policy>) => Object.fromEntries(p.Statement.map((s) => [s.Sid, s]));

describe("GitHub OIDC roles in the account stack", () => {
  it("registers GitHub's issuer for the sts.amazonaws.com audience, with no pinned thumbprint", () => {
    const providers = Object.values(resourcesOf(doc, "aws_iam_openid_connect_provider"));
    expect(providers).toEqual([{ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] }]);
  });

  it("creates a plan and an apply role per environment and a plan-only role for the account stack", () => {
    expect(Object.values(resourcesOf(doc, "aws_iam_role")).map((r) => r.name).filter((n) => n.includes("-ci-")).sort()).toEqual([
      "aivo-account-ci-plan",
      "aivo-development-ci-apply",
      "aivo-development-ci-plan",
      "aivo-production-ci-apply",
      "aivo-production-ci-plan",
      "aivo-staging-ci-apply",
      "aivo-staging-ci-plan",
    ]);
  });

  it("lets pull requests and the default branch assume a plan role, only from this repository", () => {
    const [statement] = policy(role("aivo-production-ci-plan").assume_role_policy).Statement;
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(statement.Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/);
    expect(statement.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": [`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`],
      },
    });
  });

  it("lets only the GitHub environment of the same name assume an apply role", () => {
    for (const env of ENVS) {
      const [statement] = policy(role(`aivo-${env}-ci-apply`).assume_role_policy).Statement;
      expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(`repo:${REPO}:environment:${env}`);
      expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
    }
    expect(role("aivo-production-ci-apply").max_session_duration).toBe(3600);
  });

  it("gives plan roles ReadOnlyAccess, their own state read-only, and denies every other scope's state", () => {
    expect(attached("aivo-staging-ci-plan")).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    const s = bySid(inline("aivo-staging-ci-plan"));
    expect(s.ReadOwnState.Action).toEqual(["s3:GetObject"]);
    expect(s.ReadOwnState.Resource).toEqual([
      expect.stringMatching(new RegExp(`:s3:::${STATE_BACKEND.bucket}/aivo/staging/\\*$`)),
      expect.stringMatching(new RegExp(`:s3:::${STATE_BACKEND.bucket}/aivo/staging-\\*$`)),
    ]);
    expect(s.DenyOtherScopesState.Effect).toBe("Deny");
    expect(s.DenyOtherScopesState.Resource.map((r: string) => r.replace(/^.*:::[^/]+\//, ""))).toEqual([
      "aivo/development/*",
      "aivo/development-*",
      "aivo/production/*",
      "aivo/production-*",
      "aivo/account/*",
      "aivo/account-*",
    ]);
    expect(s.LockOwnState.Condition).toEqual({
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${STATE_BACKEND.bucket}/aivo/staging/*`, `${STATE_BACKEND.bucket}/aivo/staging-*`] },
    });
    expect(s.LockOwnState.Resource).toMatch(new RegExp(`:dynamodb:us-east-1:.*:table/${STATE_BACKEND.lockTable}$`));
    expect(s.UseStateKeyThroughS3.Condition).toEqual({
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/aivo/bootstrap/terraform-state" },
      StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
    });
    expect(s.ReadOwnSecureParametersThroughSsm.Condition.StringLike["kms:EncryptionContext:PARAMETER_ARN"]).toMatch(/:parameter\/aivo\/staging\/\*$/);
    const allowed = inline("aivo-staging-ci-plan").Statement.filter((st) => st.Effect === "Allow").flatMap((st) => [st.Action].flat());
    expect(allowed).not.toEqual(expect.arrayContaining([expect.stringMatching(/^s3:(Put|Delete)|^kms:(Encrypt|GenerateDataKey)/)]));
  });

  it("gives apply roles write to their own state only, and denies changing CI's identity and the state backend", () => {
    expect(attached("aivo-production-ci-apply")).toEqual([expect.stringMatching(/^\$\{aws_iam_policy\.[\w-]+\.arn\}$/), "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    const s = bySid(inline("aivo-production-ci-apply"));
    expect(s.ReadWriteOwnState.Action).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    expect(s.ReadWriteOwnState.Resource[0]).toMatch(/\/aivo\/production\/\*$/);
    for (const sid of ["DenyOtherScopesState", "DenyChangingCiIdentity", "DenyChangingStateBucket", "DenyChangingLockTable", "DenyOtherScopesLocks", "DenyChangingStateKey"]) {
      expect(s[sid].Effect).toBe("Deny");
    }
    expect(s.DenyChangingCiIdentity.Resource[0]).toMatch(/:role\/aivo-\*-ci-\*$/);
    expect(s.DenyChangingCiIdentity.Resource[2]).toMatch(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/);
    expect(s.DenyChangingStateBucket.Resource).toMatch(new RegExp(`:s3:::${STATE_BACKEND.bucket}$`));
    expect(s.DenyChangingLockTable.Condition).toBeUndefined();
    expect(s.DenyChangingStateKey.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/aivo/bootstrap/terraform-state" } });
  });

  it("outputs the role ARNs, and the JSON value of the repository variable", () => {
    expect(doc.output!.ci_roles.value.production).toEqual({
      plan: `\${aws_iam_role.${roleKey("aivo-production-ci-plan")}.arn}`,
      apply: `\${aws_iam_role.${roleKey("aivo-production-ci-apply")}.arn}`,
    });
    expect(doc.output!.ci_roles.value.account).toEqual({ plan: `\${aws_iam_role.${roleKey("aivo-account-ci-plan")}.arn}` });
    expect(doc.output!.ci_roles_json.value).toMatch(/^\$\{jsonencode\(\{"development" = \{"plan" = aws_iam_role\./);
    expect(doc.output!.github_oidc_provider_arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
  });
});

describe("GitHub settings and scopes validation", () => {
  const props = (over: Partial<GitHubOidcRolesProps>): GitHubOidcRolesProps => ({
    naming: new Naming("aivo", "account"),
    github: { repository: "aivo-platform/aivo-infrastructure" },
    configPath: "account.github",
    environments: ["development"],
    stateBucket: "b",
    lockTable: "t",
    stateRegion: "us-east-1",
    stateKeyAlias: "alias/x",
    ...over,
  });
  const build = (over: Partial<GitHubOidcRolesProps>) => () => Testing.synthScope((scope) => new GitHubOidcRoles(scope, "ci", props(over)));

  it.each([
    ["https://github.com/aivo-platform/infra", "account.github.repository: \"https://github.com/aivo-platform/infra\" is not \"<owner>/<repo>\" (e.g. \"aivo-platform/aivo-infrastructure\", no URL, no .git)"],
    ["aivo-platform/infra.git", "account.github.repository: \"aivo-platform/infra.git\" is not \"<owner>/<repo>\""],
    ["infra", "account.github.repository: \"infra\" is not \"<owner>/<repo>\""],
  ])("rejects repository %s", (repository, message) => {
    expect(build({ github: { repository } })).toThrow(message);
  });

  it("rejects a branch given as a ref or a pattern", () => {
    expect(() => validateGitHubSettings("account.github", { repository: "a/b", defaultBranch: "refs/heads/main" })).toThrow(
      'account.github.defaultBranch: "refs/heads/main" is not a branch name (e.g. "main", without refs/heads/ or wildcards)',
    );
    expect(() => validateGitHubSettings("account.github", { repository: "a/b", defaultBranch: "release/*" })).toThrow('account.github.defaultBranch: "release/*"');
  });

  it("rejects an environment whose name extends another's, which would share its state keys", () => {
    expect(build({ environments: ["prod", "prod-eu"] })).toThrow(
      'account.github: environment "prod-eu" starts with "prod-", so prod\'s CI roles would reach its state; rename one of them',
    );
  });

  it("rejects no environments, duplicates and a bad session duration", () => {
    expect(build({ environments: [] })).toThrow("account.github: no environment to create CI roles for; pass ENVIRONMENTS' names");
    expect(build({ environments: ["development"], planOnly: ["development"] })).toThrow('account.github: "development" is listed twice');
    expect(build({ maxSessionDuration: 60 })).toThrow("account.github.maxSessionDuration: 60 is outside 3600-43200 seconds, the range IAM accepts");
  });

  it("omits the cross-scope deny when there is only one scope", () => {
    const synthesized = Testing.synthScope((scope) => new GitHubOidcRoles(scope, "ci", props({})).manage("development", ["aws_vpc"]));
    const p = policy(Object.values(resourcesOf(synthesized, "aws_iam_role_policy"))[0].policy);
    expect(p.Statement.map((s) => s.Sid)).not.toContain("DenyOtherScopesState");
  });
});

describe("least-privilege apply roles (CKV_AWS_274)", () => {
  const managed = (name: string) => policy(Object.values(resourcesOf(doc, "aws_iam_policy")).find((p) => p.name === name)!.policy);
  const apply = bySid(managed("aivo-staging-ci-apply"));
  const boundaryArn = expect.stringMatching(/:iam::\$\{[^}]+\}:policy\/aivo-staging-ci-boundary$/);

  it("attaches no AdministratorAccess anywhere", () => {
    expect(Object.values(resourcesOf(doc, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/AdministratorAccess$/)]),
    );
  });

  it("grants the services of the recorded resource types, the scoped ones by this environment's names", () => {
    expect(apply.ManageServicesOfThisEnvironment.Action).toEqual(["ec2:*"]);
    expect(apply.ManageRolesOfThisEnvironment.Resource).toMatch(/:role\/aivo-staging-\*$/);
    expect(apply.ManageClustersOfThisEnvironment).toMatchObject({ Action: "eks:*", Resource: expect.stringMatching(/:eks:\*:\$\{[^}]+\}:\*\/aivo-staging-\*$/) });
    expect(apply.ManageSecretsOfThisEnvironment.Resource).toMatch(/:secret:aivo\/staging\/\*$/);
    expect(apply.ManageParametersOfThisEnvironment.Resource).toMatch(/:parameter\/aivo\/staging\/\*$/);
    expect(apply.ManageTopicsOfThisEnvironment.Resource).toMatch(/:aivo-staging-\*$/);
    expect(apply.AssumeClusterAdminRole.Resource).toMatch(/:role\/aivo-staging-\*eks-admin$/);
  });

  it("creates roles only with the environment's permissions boundary, and denies removing it", () => {
    expect(apply.CreateRolesOnlyWithTheBoundary.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": boundaryArn } });
    const denies = bySid(inline("aivo-staging-ci-apply"));
    expect(denies.DenyRolesWithoutTheBoundary).toMatchObject({ Effect: "Deny", Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArn } } });
    expect(denies.DenyRemovingBoundaries).toMatchObject({ Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" });
    // The boundaries are CI's identity: no apply role may change them.
    expect(denies.DenyChangingCiIdentity.Resource[1]).toMatch(/:policy\/aivo-\*-ci-\*$/);
  });

  it("bounds roles to everything but IAM, Organizations and Account, with IAM only for passing own roles and instance profiles", () => {
    const b = bySid(managed("aivo-staging-ci-boundary"));
    expect(b.AllowAllButIdentityAndOrganizations).toEqual({ Effect: "Allow", Sid: "AllowAllButIdentityAndOrganizations", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" });
    expect(b.PassRolesOfThisEnvironment.Resource).toMatch(/:role\/aivo-staging-\*$/);
    const iamActions = Object.values(b).flatMap((st) => [(st as { Action?: string | string[] }).Action ?? []].flat());
    for (const escalation of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion", "iam:CreateUser", "iam:CreateAccessKey"]) {
      expect(iamActions).not.toContain(escalation);
    }
  });

  it("stops synthesis when an environment's stacks hold a resource type the apply role can't manage", () => {
    expect(() => servicesFor("staging (CI apply role)", ["aws_vpc", "aws_lambda_function", "kubernetes_namespace"])).toThrow(
      "staging (CI apply role): the CI apply role can't manage aws_lambda_function: add each type with its IAM service prefix to RESOURCE_TYPE_SERVICES (modules/aws/security/github-oidc-roles/permissions.ts)",
    );
    const unmanaged: GitHubOidcRolesProps = { naming: new Naming("aivo", "account"), github: ACCOUNT.github, environments: ["development"], stateBucket: "b", lockTable: "t", stateRegion: "us-east-1", stateKeyAlias: "alias/x" };
    expect(() => Testing.synthScope((scope) => new GitHubOidcRoles(scope, "ci", unmanaged))).toThrow(
      'github: no resource types were given for "development" (GitHubOidcRoles.manage); its apply role would manage nothing',
    );
  });

  it("lets plan roles generate random passwords and read their own secrets and parameters, and the listed ones (issue 24, finding 7)", () => {
    const plan = bySid(inline("aivo-production-ci-plan"));
    expect(plan.GenerateRandomPasswords).toMatchObject({ Action: "secretsmanager:GetRandomPassword", Resource: "*" });
    expect(plan.ReadOwnSecretValues.Resource).toMatch(/:secretsmanager:\*:\$\{[^}]+\}:secret:aivo\/production\/\*$/);
    expect(plan.DecryptOwnSecretsThroughSecretsManager.Condition.StringLike).toEqual({
      "kms:ViaService": "secretsmanager.*.amazonaws.com",
      "kms:EncryptionContext:SecretARN": plan.ReadOwnSecretValues.Resource,
    });
    const account = bySid(inline("aivo-account-ci-plan"));
    expect(account.ReadParameters.Resource[1]).toMatch(new RegExp(`:parameter${ACCOUNT.threatDetection.pagerDutyUrlParameter}$`));
    expect(account.DecryptListedParametersThroughSsm.Condition.StringLike["kms:EncryptionContext:PARAMETER_ARN"]).toEqual([account.ReadParameters.Resource[1]]);
  });
});
