import { Testing } from "cdktf";
import { Construct } from "constructs";
import { CONFORMANCE_PACKS, ConfigRecorder, conformancePackTemplate } from "../modules/aws/security/config-recorder";
import { TEMPLATE_BODY_MAX_BYTES } from "../modules/aws/security/config-recorder/packs";
import { DataClassificationJob } from "../modules/aws/security/data-classification";
import { HUMAN_ROLES, Identity, PASSWORD_POLICY } from "../modules/aws/security/identity";
import { DISABLED_CONTROLS, SECURITY_STANDARDS, SecurityHub } from "../modules/aws/security/security-hub";
import { FINDING_SOURCES, SOURCE_TOPICS, findingPattern } from "../modules/aws/security/threat-detection/routes";
import { RestoreTesting } from "../modules/aws/data/restore-testing";
import { FaultInjection, FaultInjectionProps } from "../modules/aws/observability/fault-injection";
import { Naming } from "../modules/shared/naming";
import { escapeTemplateSequences } from "../modules/shared/hcl";
import { DRILL_EXCLUDED_RESOURCES, DRILL_SCRIPT, RESTORE_DRILL_NAME, RestoreDrill } from "../modules/kubernetes/cluster/restore-drill";
import { platformRules } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { complianceSections, generatedBlocks, renderComplianceDoc } from "../environments/compliance-doc";
import { TerraformJson, configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";
import { accountStackAlone } from "./account-helpers";

const naming = new Naming("aivo", "account");
const env = new Naming("aivo", "staging");
const synth = (build: (scope: Construct) => void): TerraformJson => parse(Testing.synthScope(build));
const account = parse(Testing.synth(accountStackAlone({ development: "dev.aivo.edu", staging: "staging.aivo.edu", production: "aivo.edu" })));

/** EventBridge's matching, for the pattern features the routes use: value lists, numeric ranges, anything-but, nested objects, arrays of objects. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return values.some((v) =>
      pattern.some((p) => {
        if (p !== null && typeof p === "object" && "numeric" in p) {
          const [op1, n1, op2, n2] = (p as { numeric: [string, number, string?, number?] }).numeric;
          const cmp = (op: string, n: number) => (op === ">=" ? v >= n : op === "<" ? v < n : op === ">" ? v > n : v <= n);
          return typeof v === "number" && cmp(op1, n1) && (op2 === undefined || cmp(op2, n2!));
        }
        if (p !== null && typeof p === "object" && "anything-but" in p) return !(p as { "anything-but": unknown[] })["anything-but"].includes(v);
        return p === v;
      }),
    );
  }
  if (pattern !== null && typeof pattern === "object") {
    return Object.entries(pattern).every(([k, p]) => {
      const value = (event as Record<string, unknown> | undefined)?.[k];
      if (Array.isArray(value) && !Array.isArray(p)) return value.some((item) => matches(p, item));
      return value !== undefined && matches(p, value);
    });
  }
  return false;
}

const guardduty = (severity: number) => ({ source: "aws.guardduty", "detail-type": "GuardDuty Finding", detail: { severity } });
const hub = (label: string, product = "Security Hub", status = "NEW") => ({
  source: "aws.securityhub",
  "detail-type": "Security Hub Findings - Imported",
  detail: { findings: [{ Severity: { Label: label }, Workflow: { Status: status }, RecordState: "ACTIVE", ProductName: product }] },
});
const macie = (description: string) => ({ source: "aws.macie", "detail-type": "Macie Finding", detail: { severity: { score: 2, description } } });
const rootSignIn = { source: "aws.signin", "detail-type": "AWS Console Sign In via CloudTrail", detail: { userIdentity: { type: "Root" }, eventName: "ConsoleLogin" } };
const adminSignIn = { source: "aws.signin", "detail-type": "AWS Console Sign In via CloudTrail", detail: { userIdentity: { type: "IAMUser" } } };

describe("security findings routes (account stack)", () => {
  const rules = Object.fromEntries(Object.entries(resourcesOf(account, "aws_cloudwatch_event_rule")).map(([k, r]) => [k, r]));
  const targets = configsOf(account, "aws_cloudwatch_event_target");
  const topicPolicies = resourcesOf(account, "aws_sns_topic_policy");
  /** The topics (critical/alert) an event reaches: matching rule → its target → the topic policy's topic, which admits the rule. */
  const reached = (event: unknown) =>
    Object.entries(rules)
      .filter(([, r]) => matches(JSON.parse(r.event_pattern), event))
      .map(([key, r]) => {
        const target = targets.find((t) => t.rule === `\${aws_cloudwatch_event_rule.${key}.name}`)!;
        const policyKey = /aws_sns_topic_policy\.([\w-]+)\.arn/.exec(target.arn)![1];
        const publish = policy(topicPolicies[policyKey].policy).Statement.find((s) => s.Sid === "AllowFindingRulesToPublish")!;
        expect(publish.Condition.ArnEquals["aws:SourceArn"]).toContainEqual(expect.stringMatching(new RegExp(`:rule/${r.name}$`)));
        return /topic-policy-(critical|alert)/.exec(policyKey)![1];
      })
      .sort();

  it.each([
    ["GuardDuty 8.0", guardduty(8), ["critical"]],
    ["GuardDuty 9.5", guardduty(9.5), ["critical"]],
    ["GuardDuty 5.0", guardduty(5), ["alert"]],
    ["GuardDuty 2.0", guardduty(2), []],
    ["Security Hub CRITICAL", hub("CRITICAL"), ["critical"]],
    ["Security Hub HIGH (Inspector)", hub("HIGH", "Inspector"), ["critical"]],
    ["Security Hub MEDIUM", hub("MEDIUM"), ["alert"]],
    ["Security Hub LOW", hub("LOW"), []],
    ["Security Hub HIGH already notified", hub("HIGH", "Security Hub", "NOTIFIED"), []],
    ["GuardDuty's HIGH through Security Hub (routed directly)", hub("HIGH", "GuardDuty"), []],
    ["Macie's HIGH through Security Hub (routed directly)", hub("HIGH", "Macie"), []],
    ["Macie High", macie("High"), ["critical"]],
    ["Macie Medium", macie("Medium"), ["alert"]],
    ["Macie Low", macie("Low"), []],
    ["root console sign-in (break-glass)", rootSignIn, ["critical"]],
    ["an IAM user's sign-in", adminSignIn, []],
  ])("routes %s to %j", (_name, event, topics) => {
    expect(reached(event)).toEqual(topics);
  });

  it("has one rule per source and topic, and nothing else", () => {
    const expected = FINDING_SOURCES.flatMap((s) => SOURCE_TOPICS[s].map((t) => `aivo-account-${s}-${t}`)).sort();
    expect(Object.values(rules).map((r) => r.name).sort()).toEqual(expected);
    for (const s of FINDING_SOURCES) for (const t of SOURCE_TOPICS[s]) expect(findingPattern(s, t)).toBeDefined();
  });
});

describe("Security Hub", () => {
  const doc = account;
  it("enables the hub without AWS's default standards, with consolidated control findings", () => {
    expect(onlyResource(doc, "aws_securityhub_account")).toMatchObject({ enable_default_standards: false, auto_enable_controls: true, control_finding_generator: "SECURITY_CONTROL" });
    expect(onlyResource(doc, "aws_securityhub_account").depends_on).toEqual([expect.stringMatching(/^aws_config_configuration_recorder_status\./)]);
  });

  it("subscribes FSBP, CIS 5.0.0, PCI DSS 4.0.1 and NIST 800-53 r5 by their regional ARNs", () => {
    const arns = configsOf(doc, "aws_securityhub_standards_subscription").map((s) => s.standards_arn.replace(/\$\{[^}]+\}/g, "X"));
    expect(arns.sort()).toEqual(
      [
        "arn:X:securityhub:X::standards/aws-foundational-security-best-practices/v/1.0.0",
        "arn:X:securityhub:X::standards/cis-aws-foundations-benchmark/v/5.0.0",
        "arn:X:securityhub:X::standards/nist-800-53/v/5.0.0",
        "arn:X:securityhub:X::standards/pci-dss/v/4.0.1",
      ].sort(),
    );
  });

  it("disables a short list of controls, each with its reason, in the standards that hold them", () => {
    expect(DISABLED_CONTROLS.length).toBeLessThanOrEqual(3);
    const associations = configsOf(doc, "aws_securityhub_standards_control_association");
    expect(associations).toHaveLength(DISABLED_CONTROLS.reduce((n, c) => n + c.standards.length, 0));
    for (const { control, standards, reason } of DISABLED_CONTROLS) {
      expect(reason.length).toBeGreaterThan(40);
      for (const s of standards) {
        expect(associations).toContainEqual(
          expect.objectContaining({ security_control_id: control, association_status: "DISABLED", updated_reason: reason, standards_arn: expect.stringContaining(SECURITY_STANDARDS[s]) }),
        );
      }
    }
  });

  it("rejects an unknown or repeated standard", () => {
    expect(() => synth((s) => new SecurityHub(s, "h", { standards: ["fsbp", "soc2" as never], configPath: "account.securityHub" }))).toThrow(
      'account.securityHub.standards[1]: "soc2" is not a standard the platform knows; use fsbp, cis, pciDss, nist80053',
    );
    expect(() => synth((s) => new SecurityHub(s, "h", { standards: ["cis", "cis"], configPath: "account.securityHub" }))).toThrow('account.securityHub.standards[1]: "cis" is listed twice; list it once');
  });
});

describe("AWS Config", () => {
  const doc = account;
  it("records every supported type, global ones included, continuously, with the service-linked role", () => {
    const recorder = onlyResource(doc, "aws_config_configuration_recorder");
    expect(recorder.recording_group).toEqual({ all_supported: true, include_global_resource_types: true });
    expect(recorder.recording_mode).toEqual({ recording_frequency: "CONTINUOUS" });
    expect(recorder.role_arn).toMatch(/aws_iam_service_linked_role\.config\.arn/);
    expect(onlyResource(doc, "aws_config_configuration_recorder_status").is_enabled).toBe(true);
    expect(onlyResource(doc, "aws_config_retention_configuration").retention_period_in_days).toBe(2557);
  });

  it("delivers to a CMK-encrypted, access-logged bucket Config may write only its own prefix of", () => {
    const channel = onlyResource(doc, "aws_config_delivery_channel");
    expect(channel.s3_kms_key_arn).toMatch(/aws_kms_key\.config_key/);
    const [bucketKey] = Object.entries(resourcesOf(doc, "aws_s3_bucket")).find(([k]) => k.startsWith("config_bucket"))!;
    expect(channel.s3_bucket_name).toContain(bucketKey);
    const logging = configsOf(doc, "aws_s3_bucket_logging").find((l) => l.bucket.includes(bucketKey))!;
    expect(logging.target_bucket).toMatch(/aws_s3_bucket\.access-logs/);
    const sse = configsOf(doc, "aws_s3_bucket_server_side_encryption_configuration").find((e) => e.bucket.includes(bucketKey))!;
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/aws_kms_key\.config_key/) });
    const statements = policy(configsOf(doc, "aws_s3_bucket_policy").find((p) => p.bucket.includes(bucketKey))!.policy).Statement;
    const put = statements.find((s) => s.Sid === "AllowConfigDelivery")!;
    expect(put.Resource).toMatch(/\/config\/AWSLogs\/\$\{[^}]+\}\/Config\/\*$/);
    expect(put.Condition.StringEquals["s3:x-amz-acl"]).toBe("bucket-owner-full-control");
  });

  it("deploys the HIPAA Security and PCI DSS packs, rendered from carried manifests with their source", () => {
    const packs = configsOf(doc, "aws_config_conformance_pack");
    expect(packs.map((p) => p.name).sort()).toEqual(["aivo-account-hipaa-security", "aivo-account-pci-dss-v4"]);
    for (const [name, manifest] of Object.entries(CONFORMANCE_PACKS)) {
      expect(manifest.source).toMatch(new RegExp(`^https://github\\.com/awslabs/aws-config-rules/blob/${manifest.commit}/aws-config-conformance-packs/`));
      expect(manifest.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const body = conformancePackTemplate(name as keyof typeof CONFORMANCE_PACKS);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEMPLATE_BODY_MAX_BYTES);
      const resources = Object.values(JSON.parse(body).Resources) as { Type: string; Properties: { ConfigRuleName: string; Source: { Owner: string } } }[];
      expect(resources.map((r) => r.Properties.ConfigRuleName)).toEqual(manifest.rules.map((r) => r.name));
      expect(new Set(resources.map((r) => `${r.Type}/${r.Properties.Source.Owner}`))).toEqual(new Set(["AWS::Config::ConfigRule/AWS"]));
      expect(packs.find((p) => p.name === `aivo-account-${name}`)!.template_body).toBe(body);
    }
    expect(CONFORMANCE_PACKS["hipaa-security"].rules.length).toBeGreaterThan(100);
    // The account password policy passes the HIPAA pack's own password rule.
    const rule = CONFORMANCE_PACKS["hipaa-security"].rules.find((r) => r.identifier === "IAM_PASSWORD_POLICY")!;
    expect(rule.parameters).toEqual({
      MaxPasswordAge: String(PASSWORD_POLICY.maxPasswordAge), MinimumPasswordLength: String(PASSWORD_POLICY.minimumPasswordLength),
      PasswordReusePrevention: String(PASSWORD_POLICY.passwordReusePrevention), RequireLowercaseCharacters: "true", RequireNumbers: "true", RequireSymbols: "true", RequireUppercaseCharacters: "true",
    });
  });

  it.each([
    [{ retentionDays: 10 }, "account.config.retentionDays: 10 is outside 30..2557; days, the range AWS Config keeps configuration items"],
    [{ retentionDays: 400, objectRetentionDays: 365 }, "account.config.objectRetentionDays: 365 must be a whole number of days ≥ retentionDays (400), or S3 drops history Config still reports"],
    [{ conformancePacks: ["soc2" as never] }, 'account.config.conformancePacks[0]: "soc2" is not a carried pack; use hipaa-security, pci-dss-v4'],
  ])("rejects %j", (settings, message) => {
    expect(() => synth((s) => new ConfigRecorder(s, "c", { ...settings, naming, serviceLinkedRoleArn: "arn:aws:iam::1:role/x", accessLogBucketName: "logs" }))).toThrow(message);
  });
});

describe("identity", () => {
  const doc = account;
  it("sets the account password policy", () => {
    expect(onlyResource(doc, "aws_iam_account_password_policy")).toEqual({
      minimum_password_length: 14, require_lowercase_characters: true, require_uppercase_characters: true, require_numbers: true, require_symbols: true,
      allow_users_to_change_password: true, max_password_age: 90, password_reuse_prevention: 24, hard_expiry: false,
    });
    expect(PASSWORD_POLICY.minimumPasswordLength).toBeGreaterThanOrEqual(14);
  });

  it.each(Object.keys(HUMAN_ROLES))("lets principals of the account assume %s only with a recent MFA sign-in, for at most an hour", (name) => {
    const role = configsOf(doc, "aws_iam_role").find((r) => r.name === `aivo-account-${name}`)!;
    expect(role.max_session_duration).toBe(3600);
    const [statement] = policy(role.assume_role_policy).Statement;
    expect(statement.Principal.AWS).toMatch(/:iam::\$\{[^}]+\}:root$/);
    expect(statement.Condition).toEqual({ Bool: { "aws:MultiFactorAuthPresent": true }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } });
  });

  it("gives the auditor configuration, not data (SecurityAudit, ViewOnlyAccess), and no one AdministratorAccess", () => {
    const attached = configsOf(doc, "aws_iam_role_policy_attachment").map((a) => a.policy_arn.replace(/^arn:\$\{[^}]+\}/, "arn:aws"));
    expect(attached).toEqual(expect.arrayContaining(["arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"]));
    expect(attached.filter((a) => a.endsWith("/AdministratorAccess"))).toEqual([]);
  });

  it("rejects sessions and MFA ages IAM would not take", () => {
    expect(() => synth((s) => new Identity(s, "i", { naming, maxSessionDuration: 600 }))).toThrow("account.identity.maxSessionDuration: 600 is outside 3600..43200; seconds, the range IAM accepts");
    expect(() => synth((s) => new Identity(s, "i", { naming, maxMfaAgeSeconds: 10 }))).toThrow("account.identity.maxMfaAgeSeconds: 10 is outside 60..43200; seconds since the MFA sign-in");
  });
});

describe("Macie", () => {
  it("grants Macie's role Decrypt on each bucket's CMK before the job runs", () => {
    const doc = synth((s) => new DataClassificationJob(s, "j", { naming: env, buckets: { backups: { name: "b", kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" } } }));
    expect(onlyResource(doc, "aws_kms_grant")).toMatchObject({
      key_id: "arn:aws:kms:us-east-1:1:key/k",
      operations: ["Decrypt"],
      grantee_principal: expect.stringMatching(/:role\/aws-service-role\/macie\.amazonaws\.com\/AWSServiceRoleForAmazonMacie$/),
    });
    expect(onlyResource(doc, "aws_macie2_classification_job").depends_on).toEqual([expect.stringMatching(/^aws_kms_grant\./)]);
  });

  it("enables Macie for the account", () => {
    expect(onlyResource(account, "aws_macie2_account")).toEqual({ status: "ENABLED", finding_publishing_frequency: "FIFTEEN_MINUTES" });
  });

  it.each([
    [{ weekday: "FUNDAY" as never }, 'staging.dataClassification.weekday: "FUNDAY" is not one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY'],
    [{ samplingPercentage: 0 }, "staging.dataClassification.samplingPercentage: 0 is outside 1..100; the share of objects inspected, in percent"],
    [{ buckets: {} }, "staging.dataClassification: no bucket to classify; list the buckets that can hold personal data"],
  ])("rejects %j", (over, message) => {
    expect(() => synth((s) => new DataClassificationJob(s, "j", { naming: env, buckets: { backups: { name: "b", kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" } }, ...over }))).toThrow(message);
  });
});

describe("restore testing", () => {
  const props = { naming: env, backup: { planId: "p", vaultArn: "arn:aws:backup:us-east-1:1:backup-vault:v", roleArn: "arn:aws:iam::1:role/b" }, resources: { database: "arn:aws:rds:us-east-1:1:db:d" }, alarmTopicArns: ["arn:aws:sns:us-east-1:1:t"] };
  it("names the plan as AWS Backup accepts (letters, digits, _) and windows the validation", () => {
    const doc = synth((s) => new RestoreTesting(s, "r", props));
    expect(onlyResource(doc, "aws_backup_restore_testing_plan")).toMatchObject({ name: "aivo_staging_restore_tests", schedule_expression: "cron(0 5 ? * SUN *)" });
    expect(onlyResource(doc, "aws_backup_restore_testing_selection")).toMatchObject({ protected_resource_type: "RDS", validation_window_hours: 4, restore_testing_plan_name: expect.stringContaining("aws_backup_restore_testing_plan") });
    expect(configsOf(doc, "aws_backup_selection")).toEqual([]);
  });

  it.each([
    [{ schedule: "weekly" }, 'staging.restoreTesting.schedule: "weekly" is not an AWS cron expression (cron(<min> <hour> <day> <month> <weekday> <year>))'],
    [{ validationWindowHours: { database: 200 } }, "staging.restoreTesting.validationWindowHours.database: 200 is outside 1..168; hours AWS Backup keeps the restored copy"],
    [{ selectionWindowDays: 0 }, "staging.restoreTesting.selectionWindowDays: 0 is outside 1..365; days back the recovery point is chosen from"],
    [{ resources: { bucket: "arn:aws:s3:::b" } }, "staging.restoreTesting: no database to test; the database's backups are what the RPO rests on"],
    [{ alarmTopicArns: [] }, "staging.restoreTesting: no alarm topic; failed restore tests must reach someone"],
  ])("rejects %j", (over, message) => {
    expect(() => synth((s) => new RestoreTesting(s, "r", { ...props, ...over }))).toThrow(message);
  });
});

describe("fault injection", () => {
  const props: FaultInjectionProps = {
    naming: env, clusterName: "aivo-staging-eks", availabilityZones: ["us-east-1a", "us-east-1b"], database: { arn: "arn:aws:rds:us-east-1:1:db:d", multiAz: true },
    vpcId: "vpc-1", stopAlarmArns: ["arn:aws:cloudwatch:us-east-1:1:alarm:a"],
  };
  it("trusts FIS of this account only, and targets the cluster's running nodes in one AZ", () => {
    const doc = synth((s) => new FaultInjection(s, "f", props));
    const role = onlyResource(doc, "aws_iam_role");
    expect(policy(role.assume_role_policy).Statement[0]).toMatchObject({ Principal: { Service: "fis.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) } } });
    const nodes = configsOf(doc, "aws_fis_experiment_template").find((t) => t.tags.Name === "aivo-staging-fis-terminate-az-nodes")!;
    expect(nodes.target[0]).toMatchObject({ resource_type: "aws:ec2:instance", resource_tag: [{ key: "kubernetes.io/cluster/aivo-staging-eks", value: "owned" }], selection_mode: "PERCENT(50)" });
    expect(nodes.target[0].filter).toContainEqual({ path: "Placement.AvailabilityZone", values: ["us-east-1a"] });
    const db = configsOf(doc, "aws_fis_experiment_template").find((t) => t.tags.Name === "aivo-staging-fis-fail-over-database")!;
    expect(db.action[0].parameter).toEqual([{ key: "forceFailover", value: "true" }]);
  });

  it.each([
    [{ availabilityZone: "us-east-1c" }, 'staging.faultInjection.availabilityZone: "us-east-1c" is not one of the environment\'s AZs (us-east-1a, us-east-1b)'],
    [{ nodeTerminationPercent: 0 }, "staging.faultInjection.nodeTerminationPercent: 0 is outside 1..100; the share of the AZ's nodes terminated, in percent"],
    [{ networkDisruptionDuration: "10m" }, 'staging.faultInjection.networkDisruptionDuration: "10m" is not PT<1-720>M'],
    [{ stopAlarmArns: [] }, "staging.faultInjection: 0 stop alarms; FIS takes 1-5 (the environment's critical alarms)"],
  ])("rejects %j", (over, message) => {
    expect(() => synth((s) => new FaultInjection(s, "f", { ...props, ...over }))).toThrow(message);
  });
});

describe("Velero restore drill", () => {
  const props = { where: "staging.restoreDrill", veleroNamespace: "velero", scheduleName: "velero-every-6-hours" };
  const doc = synth((s) => new RestoreDrill(s, "d", { ...props, namespace: "auth-svc" }));
  const manifests = Object.fromEntries(configsOf(doc, "kubernetes_manifest").map((m) => [m.manifest.kind, m.manifest]));

  it("restores the latest backup of the schedule into a scratch namespace, nothing that runs or reaches out", () => {
    const container = manifests.CronJob.spec.jobTemplate.spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.SCRATCH_NAMESPACE).toBe("restore-drill-auth-svc");
    expect(JSON.parse(env.RESTORE_SPEC)).toEqual({
      scheduleName: "velero-every-6-hours",
      includedNamespaces: ["auth-svc"],
      namespaceMapping: { "auth-svc": "restore-drill-auth-svc" },
      excludedResources: [...DRILL_EXCLUDED_RESOURCES],
      restorePVs: true,
    });
    for (const r of ["pods", "deployments.apps", "services", "ingresses.networking.k8s.io"]) expect(DRILL_EXCLUDED_RESOURCES).toContain(r);
    expect(manifests.CronJob.spec).toMatchObject({ schedule: "30 3 * * 0", concurrencyPolicy: "Forbid", jobTemplate: { spec: { backoffLimit: 0 } } });
    // Terraform reads the shell's ${…} literally only when escaped.
    expect(container.command[2]).toBe(escapeTemplateSequences(DRILL_SCRIPT));
  });

  it("is a valid shell script that fails the Job on a failed, empty or late restore and always cleans up", () => {
    expect(DRILL_SCRIPT).toMatch(/trap cleanup EXIT/);
    for (const failure of ["Failed|PartiallyFailed|FailedValidation", "restored nothing", "error(s)", "after $TIMEOUT_MINUTES minutes"]) expect(DRILL_SCRIPT).toContain(failure);
    const check = spawnSync("sh", ["-n", "-c", DRILL_SCRIPT], { encoding: "utf8" });
    expect([check.status, check.stderr]).toEqual([0, ""]);
  });

  it("runs under the restricted Pod Security Standard", () => {
    const pod = manifests.CronJob.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }]);
  });

  it("may touch only Restores in Velero's namespace and the scratch namespace itself", () => {
    expect(manifests.Role.rules).toEqual([{ apiGroups: ["velero.io"], resources: ["restores"], verbs: ["create", "get", "delete"] }]);
    expect(manifests.ClusterRole.rules).toEqual([{ apiGroups: [""], resources: ["namespaces"], resourceNames: ["restore-drill-auth-svc"], verbs: ["get", "list", "watch", "delete"] }]);
    expect(manifests.ClusterRoleBinding.subjects).toEqual([{ kind: "ServiceAccount", name: RESTORE_DRILL_NAME, namespace: "velero" }]);
  });

  it("alerts when the drill fails or stops succeeding", () => {
    const groups = platformRules("monitoring").spec!.groups!;
    const rules = groups.find((g) => g.name === "aivo.restore-drill")!.rules!;
    expect(rules.map((r) => r.alert)).toEqual(["VeleroRestoreDrillFailed", "VeleroRestoreDrillStale"]);
    expect(rules[0].expr).toContain(`job_name=~"${RESTORE_DRILL_NAME}-.*"`);
  });

  it.each([
    [{ namespace: "Auth" }, 'staging.restoreDrill.namespace: "Auth" is not a namespace name'],
    [{ namespace: "velero" }, 'staging.restoreDrill.namespace: "velero" is Velero\'s own namespace; drill a namespace with workloads\' state'],
    [{ timeoutMinutes: 1 }, "staging.restoreDrill.timeoutMinutes: 1 is outside 5..180; minutes the drill waits for Velero"],
    [{ schedule: "weekly" }, 'staging.restoreDrill.schedule: "weekly" is not a cron expression'],
  ])("rejects %j", (over, message) => {
    expect(() => synth((s) => new RestoreDrill(s, "d", { ...props, ...over }))).toThrow(message);
  });
});

describe("docs/compliance.md", () => {
  const file = readFileSync(join(__dirname, "..", "docs", "compliance.md"), "utf8");
  it("is current: every generated block renders from the code as it stands", () => {
    expect(generatedBlocks(file).sort()).toEqual(Object.keys(complianceSections()).sort());
    expect(renderComplianceDoc(file)).toBe(file);
  });

  it("fails on a stale block and on a block the code does not render", () => {
    const stale = file.replace(/(<!-- generated:standards -->\n)/, "$1| stale |\n");
    expect(renderComplianceDoc(stale)).toBe(file);
    expect(() => renderComplianceDoc("<!-- generated:soc3 -->\n<!-- /generated:soc3 -->")).toThrow('docs/compliance.md: generated block "soc3" is not one of');
  });
});

describe("the environments' other regions (account stack)", () => {
  const doc = parse(Testing.synth(accountStackAlone({ development: "dev.aivo.edu" }, undefined, ["us-east-1", "us-west-2", "us-west-2"])));
  it("records every type but the global ones there, into the primary's bucket, and checks the same standards", () => {
    const recorders = configsOf(doc, "aws_config_configuration_recorder");
    expect(recorders.map((r) => [r.provider ?? "default", r.recording_group.include_global_resource_types]).sort()).toEqual([["aws.us_west_2", false], ["default", true]]);
    const channels = configsOf(doc, "aws_config_delivery_channel");
    expect(new Set(channels.map((c) => c.s3_bucket_name)).size).toBe(1);
    expect(new Set(channels.map((c) => c.s3_kms_key_arn)).size).toBe(1);
    const west = configsOf(doc, "aws_securityhub_standards_subscription").filter((s) => s.provider === "aws.us_west_2");
    expect(west).toHaveLength(Object.keys(SECURITY_STANDARDS).length);
    expect(configsOf(doc, "aws_config_conformance_pack").every((p) => p.provider === undefined)).toBe(true);
  });

  it("aggregates their Security Hub findings in the account stack's region, where the routes are", () => {
    expect(onlyResource(doc, "aws_securityhub_finding_aggregator")).toMatchObject({ linking_mode: "SPECIFIED_REGIONS", specified_regions: ["us-west-2"] });
  });
});
