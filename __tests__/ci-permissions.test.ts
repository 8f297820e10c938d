import { Testing, TerraformStack } from "cdktf";
import { buildPlatform } from "../environments";
import { ACCOUNT } from "../environments/account";
import { DATA_SOURCE_ACTIONS, NAME_SCOPED_SERVICES, RESOURCE_TYPE_SERVICES, isAwsType } from "../modules/aws/security/github-oidc-roles/permissions";
import { RULES, evaluate } from "../modules/shared/guardrails";
import { TerraformJson, configsOf, parse, policy, resourcesOf } from "./helpers";

// The whole platform, once: every stack of every environment, as CI plans and applies them.
const platform = buildPlatform(Testing.app());
for (const stack of [...Object.values(platform.environments), ...Object.values(platform.dr)]) stack.prepareStack();
const synth = (stack: TerraformStack): TerraformJson => parse(Testing.synth(stack));
const account = synth(platform.account);
const environments = Object.keys(platform.environments);
/** Each environment's stacks (its own, the Kubernetes ones and its DR stack), synthesized. */
const stacksOf: Record<string, [name: string, doc: TerraformJson][]> = Object.fromEntries(
  environments.map((env) => [
    env,
    [platform.environments[env], platform.addons[env], platform.workloads[env], platform.services[env], ...(platform.dr[env] ? [platform.dr[env]] : [])].map(
      (stack) => [stack.node.id, synth(stack)] as [string, TerraformJson],
    ),
  ]),
);

const managedPolicy = (name: string) => policy(configsOf(account, "aws_iam_policy").find((p) => p.name === name)!.policy);
const inlinePolicyOf = (roleName: string) => {
  const [key] = Object.entries(resourcesOf(account, "aws_iam_role")).find(([, r]) => r.name === roleName)!;
  return policy(configsOf(account, "aws_iam_role_policy").find((p) => p.role === `\${aws_iam_role.${key}.id}`)!.policy);
};
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
const list = (v: unknown): string[] => (v === undefined ? [] : [v as string | string[]].flat());
/** ARNs with the account and partition interpolations replaced, so patterns compare as IAM would. */
const plain = (s: string) => s.replace(/\$\{data\.aws_partition\.[^}]+\}/g, "aws").replace(/\$\{data\.aws_caller_identity\.[^}]+\}/g, "123456789012");
/** Whether an allowing statement of `statements` grants `action` on `resource`. */
const allows = (statements: Record<string, any>[], action: string, resource: string) =>
  statements.some(
    (s) => s.Effect === "Allow" && list(s.Action).some((a) => wildcard(a).test(action)) && list(s.Resource).some((r) => wildcard(plain(r)).test(resource)),
  );

describe.each(environments)("CI permissions of %s, derived from its stacks", (env) => {
  const docs = stacksOf[env];
  const types = [...new Set(docs.flatMap(([, d]) => Object.keys(d.resource ?? {})))].filter(isAwsType).sort();
  const apply = managedPolicy(`aivo-${env}-ci-apply`).Statement;

  it("maps every AWS resource type its stacks synthesize to the IAM services the apply role is granted", () => {
    expect(types.filter((t) => RESOURCE_TYPE_SERVICES[t] === undefined)).toEqual([]);
    const granted = new Set(apply.flatMap((s) => list(s.Action)).map((a) => a.split(":")[0]));
    for (const type of types) {
      for (const service of RESOURCE_TYPE_SERVICES[type]) expect([type, granted.has(service)]).toEqual([type, true]);
    }
    // Nothing beyond them: a service no stack uses is not granted.
    const needed = new Set(types.flatMap((t) => RESOURCE_TYPE_SERVICES[t]));
    const extra = [...granted].filter((s) => !needed.has(s) && s !== "sts");
    expect(extra).toEqual([]);
  });

  it("names every resource of a name-scoped service inside the scope the apply role is granted", () => {
    const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:123456789012:${resource}`;
    const checks: [type: string, attribute: string, toArn: (name: string) => [action: string, arn: string]][] = [
      ["aws_iam_role", "name", (n) => ["iam:PutRolePolicy", `arn:aws:iam::123456789012:role/${n}`]],
      ["aws_secretsmanager_secret", "name", (n) => ["secretsmanager:PutSecretValue", arn("secretsmanager", `secret:${n}-AbCdEf`)]],
      ["aws_ssm_parameter", "name", (n) => ["ssm:PutParameter", arn("ssm", `parameter${n}`)]],
      ["aws_sns_topic", "name", (n) => ["sns:SetTopicAttributes", arn("sns", n)]],
      ["aws_sqs_queue", "name", (n) => ["sqs:SetQueueAttributes", arn("sqs", n)]],
      ["aws_eks_cluster", "name", (n) => ["eks:UpdateClusterConfig", arn("eks", `cluster/${n}`)]],
    ];
    expect(checks.map(([t]) => t.replace(/^aws_(\w+?)_.*$/, "$1"))).toEqual(expect.arrayContaining(["iam", "secretsmanager", "ssm", "sns", "sqs", "eks"]));
    expect([...NAME_SCOPED_SERVICES].sort()).toEqual(["eks", "iam", "secretsmanager", "sns", "sqs", "ssm"]);
    for (const [type, attribute, toArn] of checks) {
      for (const [, doc] of docs) {
        for (const r of configsOf(doc, type)) {
          const [action, resource] = toArn(r[attribute]);
          expect([type, r[attribute], allows(apply, action, resource)]).toEqual([type, r[attribute], true]);
        }
      }
    }
  });

  it("puts the environment's permissions boundary on every role its stacks create", () => {
    for (const [stack, doc] of docs) {
      for (const role of configsOf(doc, "aws_iam_role")) {
        expect([stack, role.name, plain(role.permissions_boundary ?? "none")]).toEqual([stack, role.name, `arn:aws:iam::123456789012:policy/aivo-${env}-ci-boundary`]);
      }
    }
  });

  it("lets the plan role call the API of every data source its stacks read (issue 24, finding 7)", () => {
    const plan = inlinePolicyOf(`aivo-${env}-ci-plan`).Statement;
    for (const [stack, doc] of docs) {
      for (const [type, sources] of Object.entries(doc.data ?? {})) {
        const entry = DATA_SOURCE_ACTIONS[type];
        expect([stack, type, entry !== undefined]).toEqual([stack, type, true]);
        // The Kubernetes API is not AWS's: only the Kubernetes stacks read it.
        if (entry.grant === "cluster") expect(stack).toMatch(/-(addons|workloads|services)$/);
        if (entry.grant !== "plan-policy") continue;
        for (const source of Object.values(sources)) {
          const target =
            type === "aws_secretsmanager_secret_version"
              ? `arn:aws:secretsmanager:us-west-2:123456789012:secret:${source.secret_id}-AbCdEf`
              : type === "aws_ssm_parameter"
                ? `arn:aws:ssm:us-east-1:123456789012:parameter${source.name}`
                : "*";
          for (const action of entry.actions.filter((a) => !a.startsWith("kms:"))) {
            expect([stack, type, action, target, allows(plan, action, target)]).toEqual([stack, type, action, target, true]);
          }
        }
      }
    }
  });
});

describe("CI permissions across the platform", () => {
  it("lists every data source type the stacks read, with how the plan role is allowed its API", () => {
    const all = [account, synth(platform.bootstrap), ...Object.values(stacksOf).flatMap((d) => d.map(([, doc]) => doc))];
    const read = [...new Set(all.flatMap((d) => Object.keys(d.data ?? {})))].sort();
    expect(read.filter((t) => DATA_SOURCE_ACTIONS[t] === undefined)).toEqual([]);
  });

  it("lets the account stack's plan role read the parameters the account stack reads", () => {
    const plan = inlinePolicyOf("aivo-account-ci-plan").Statement;
    for (const p of Object.values(account.data?.aws_ssm_parameter ?? {})) {
      expect(allows(plan, "ssm:GetParameter", `arn:aws:ssm:us-east-1:123456789012:parameter${p.name}`)).toBe(true);
    }
    expect(Object.values(account.data?.aws_ssm_parameter ?? {}).map((p) => p.name)).toContain(ACCOUNT.threatDetection.pagerDutyUrlParameter);
  });

  it("reports no AdministratorAccess (CKV_AWS_274) in any stack", () => {
    const rule = RULES.filter((r) => r.checkov?.includes("CKV_AWS_274"));
    expect(rule.map((r) => r.id)).toEqual(["AIVO-IAM-ADMIN-POLICY"]);
    for (const doc of [account, ...Object.values(stacksOf).flatMap((d) => d.map(([, x]) => x))]) {
      expect(evaluate(doc as Parameters<typeof evaluate>[0], rule)).toEqual([]);
    }
    expect(JSON.stringify(account)).not.toContain("AdministratorAccess");
  });
});
