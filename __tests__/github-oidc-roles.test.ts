import { Testing } from "cdktf";
import { AccountStack } from "../environments/account-stack";
import { ACCOUNT } from "../environments/account";
import { STATE_BACKEND } from "../environments/state";
import { GitHubOidcRoles, GitHubOidcRolesProps, validateGitHubSettings } from "../modules/aws/security/github-oidc-roles";
import { Naming } from "../modules/shared/naming";
import { TerraformJson, parse, policy, resourcesOf } from "./helpers";

const ENVS = ["development", "staging", "production"];
const REPO = ACCOUNT.github.repository;
const app = Testing.app();
const stack = new AccountStack(app, {
  config: ACCOUNT,
  environmentDomains: { development: "dev.aivo.edu", staging: "staging.aivo.edu", production: "aivo.edu" },
});
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
    expect(attached("aivo-production-ci-apply")).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    const s = bySid(inline("aivo-production-ci-apply"));
    expect(s.ReadWriteOwnState.Action).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    expect(s.ReadWriteOwnState.Resource[0]).toMatch(/\/aivo\/production\/\*$/);
    for (const sid of ["DenyOtherScopesState", "DenyChangingCiIdentity", "DenyChangingStateBucket", "DenyChangingLockTable", "DenyOtherScopesLocks", "DenyChangingStateKey"]) {
      expect(s[sid].Effect).toBe("Deny");
    }
    expect(s.DenyChangingCiIdentity.Resource[0]).toMatch(/:role\/aivo-\*-ci-\*$/);
    expect(s.DenyChangingCiIdentity.Resource[1]).toMatch(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/);
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
    const synthesized = Testing.synthScope((scope) => new GitHubOidcRoles(scope, "ci", props({})));
    const p = policy(Object.values(resourcesOf(synthesized, "aws_iam_role_policy"))[0].policy);
    expect(p.Statement.map((s) => s.Sid)).not.toContain("DenyOtherScopesState");
  });
});
