import { Testing, TerraformStack } from "cdktf";
import { buildPlatform } from "../environments";
import { ACCOUNT } from "../environments/account";
import { DATA_SOURCE_ACTIONS, NAME_SCOPED_SERVICES, RESOURCE_TYPE_SERVICES, isAwsType } from "../modules/aws/security/github-oidc-roles/permissions";
import { RULES, evaluate } from "../modules/shared/guardrails";
import { GDPR, SOC2 } from "../environments/compliance-map";
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

  it("keeps the derived policy and the boundary within IAM's 6,144-character limit for managed policies", () => {
    for (const name of [`aivo-${env}-ci-apply`, `aivo-${env}-ci-boundary`]) {
      const text = plain(configsOf(account, "aws_iam_policy").find((p) => p.name === name)!.policy).replace(/\s/g, "");
      expect([name, text.length <= 6144]).toEqual([name, true]);
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

// ---- compliance and proven recovery (issue 28), on the same synthesized platform ------------------

const envDoc = (env: string) => stacksOf[env][0][1];
const tierOf = (env: string) => platform.environments[env].config.tier;
const critical = (env: string) => `\${aws_sns_topic_policy.${Object.keys(resourcesOf(envDoc(env), "aws_sns_topic_policy")).find((k) => k.includes("critical"))}.arn}`;

describe.each(environments)("compliance and recovery of %s", (env) => {
  const doc = envDoc(env);
  const config = platform.environments[env].config;

  it.each(stacksOf[env].filter(([name]) => name === env || name.endsWith("-dr")).map(([name]) => [name]))("admits the account's MFA-protected admin role as cluster-admin of %s", (stackName) => {
    const doc = stacksOf[env].find(([name]) => name === stackName)![1];
    const [key] = Object.entries(resourcesOf(doc, "aws_eks_access_entry")).find(([, e]) => plain(e.principal_arn) === "arn:aws:iam::123456789012:role/aivo-account-admin")!;
    const associations = configsOf(doc, "aws_eks_access_policy_association").filter((a) => a.principal_arn === `\${aws_eks_access_entry.${key}.principal_arn}`);
    expect(associations.map((a) => a.policy_arn)).toEqual([expect.stringMatching(/:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/)]);
  });

  it("tests restores of the database, file system and backups bucket where restoreTesting is on (the production tier by default)", () => {
    const on = config.restoreTesting?.enabled ?? tierOf(env) === "production";
    const selections = configsOf(doc, "aws_backup_restore_testing_selection");
    if (!on) {
      expect(selections).toEqual([]);
      return;
    }
    const [plan] = configsOf(doc, "aws_backup_restore_testing_plan");
    expect(plan.recovery_point_selection).toEqual([expect.objectContaining({ algorithm: "LATEST_WITHIN_WINDOW", recovery_point_types: ["SNAPSHOT"] })]);
    const types = selections.map((s) => s.protected_resource_type).sort();
    expect(types).toEqual(["RDS", "S3", ...(config.fileStorage.enabled === false ? [] : ["EFS"])].sort());
    for (const s of selections) expect(s.validation_window_hours).toBeGreaterThanOrEqual(1);
    // The file system and the bucket join the backup plan, so their recovery points exist to test.
    const added = configsOf(doc, "aws_backup_selection").find((s) => s.name === `aivo-${env}-files`)!;
    expect(added.resources).toHaveLength(types.length - 1);
    const alarms = configsOf(doc, "aws_cloudwatch_metric_alarm").filter((a) => a.namespace === "AWS/Backup");
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(types.flatMap(() => ["NumberOfRestoreJobsCompleted", "NumberOfRestoreJobsFailed"]).sort());
    for (const a of alarms) expect(a.alarm_actions).toHaveLength(1);
  });

  it("has game-day templates stopped by its paging alarms where faultInjection is on (staging tier by default), never by default in production", () => {
    const on = config.faultInjection?.enabled ?? tierOf(env) === "staging";
    const templates = configsOf(doc, "aws_fis_experiment_template");
    if (tierOf(env) === "production" && config.faultInjection?.enabled === undefined) expect(templates).toEqual([]);
    if (!on) return;
    expect(templates.map((t) => t.tags.Name).sort()).toEqual([`aivo-${env}-fis-disrupt-az-network`, `aivo-${env}-fis-fail-over-database`, `aivo-${env}-fis-terminate-az-nodes`]);
    const alarms = resourcesOf(doc, "aws_cloudwatch_metric_alarm");
    for (const t of templates) {
      expect(t.stop_condition.length).toBeGreaterThanOrEqual(1);
      for (const stop of t.stop_condition) {
        const key = /aws_cloudwatch_metric_alarm\.([\w-]+)\.arn/.exec(stop.value)![1];
        expect(alarms[key].alarm_actions).toContain(critical(env));
      }
    }
    const actions = templates.flatMap((t) => t.action.map((a: { action_id: string }) => a.action_id)).sort();
    expect(actions).toEqual(["aws:ec2:terminate-instances", "aws:ec2:terminate-instances", "aws:network:disrupt-connectivity", "aws:rds:reboot-db-instances"]);
  });

  it("runs Macie's weekly personal-data job over backups, Velero and Loki's chunks where dataClassification is on (production tier by default)", () => {
    const on = config.dataClassification?.enabled ?? tierOf(env) === "production";
    const jobs = stacksOf[env].flatMap(([, d]) => configsOf(d, "aws_macie2_classification_job"));
    if (!on) {
      expect(jobs).toEqual([]);
      return;
    }
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ job_type: "SCHEDULED", schedule_frequency: { weekly_schedule: "SUNDAY" }, initial_run: true });
    const buckets: string[] = jobs[0].s3_job_definition.bucket_definitions[0].buckets;
    expect(buckets).toEqual([expect.stringMatching(/backups/), expect.stringMatching(/velero_bucket/), expect.stringMatching(/loki_chunks-bucket/)]);
  });
});

describe("the compliance mapping (docs/compliance.md)", () => {
  it("names only resource types some stack synthesizes", () => {
    const all = [account, ...Object.values(stacksOf).flatMap((d) => d.map(([, doc]) => doc))];
    const synthesized = new Set(all.flatMap((d) => Object.keys(d.resource ?? {})));
    const named = [...SOC2, ...GDPR].flatMap((m) => m.resources.map((r) => [m.requirement, r]));
    expect(named.filter(([, r]) => !synthesized.has(r))).toEqual([]);
  });
});
