import { RULES, evaluate, formatViolation } from "../modules/shared/guardrails";
import { RULE_FIXTURES, doc } from "./fixtures/guardrails";

const findingsOf = (ruleId: string, fixture: Parameters<typeof evaluate>[0]) =>
  evaluate(fixture, RULES.filter((r) => r.id === ruleId)).map((v) => v.finding);

describe("the rule pack", () => {
  it("has unique ids, a message, a fix and a severity for every rule", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^AIVO-[A-Z0-9-]+$/);
      expect(["error", "warning"]).toContain(rule.severity);
      expect(rule.message.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(10);
      for (const id of rule.checkov ?? []) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
    }
  });

  it("has a passing and a failing fixture for every rule, and none for a rule that does not exist", () => {
    expect(Object.keys(RULE_FIXTURES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it("covers what the issue lists", () => {
    const ids = RULES.map((r) => r.id);
    for (const id of [
      "AIVO-S3-ENCRYPTION", "AIVO-ENC-EBS", "AIVO-ENC-RDS", "AIVO-ENC-ELASTICACHE", "AIVO-ENC-SNS", "AIVO-ENC-SQS", "AIVO-ENC-EFS",
      "AIVO-ENC-MSK", "AIVO-ENC-LOGS", "AIVO-ENC-SECRETS", "AIVO-ENC-EKS-SECRETS", "AIVO-KMS-ROTATION", "AIVO-TLS-ONLY-POLICY",
      "AIVO-S3-PUBLIC-ACCESS", "AIVO-S3-VERSIONING", "AIVO-LOG-RETENTION", "AIVO-SG-OPEN-INGRESS", "AIVO-IAM-WILDCARD-ADMIN",
      "AIVO-IAM-PASSROLE-ANY", "AIVO-IMDSV2", "AIVO-EKS-ENDPOINT", "AIVO-EKS-LOGGING", "AIVO-RDS-BACKUP", "AIVO-RDS-DELETION-PROTECTION",
      "AIVO-RDS-IAM-AUTH", "AIVO-ELASTICACHE-TRANSIT", "AIVO-ELASTICACHE-AUTH", "AIVO-CLOUDFRONT-TLS", "AIVO-CLOUDFRONT-WAF",
      "AIVO-BACKEND-ENCRYPTED-LOCKED", "AIVO-IAM-ADMIN-POLICY",
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const fixture = RULE_FIXTURES[id];

  it("passes its passing fixture", () => {
    expect(findingsOf(id, fixture.pass)).toEqual([]);
  });

  it(`fails its failing fixture with "${fixture.detail}"`, () => {
    const findings = findingsOf(id, fixture.fail);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.detail).join(" | ")).toContain(fixture.detail);
    for (const f of findings) expect(f.address).toMatch(/^(data\.)?[a-z0-9_]+\.[\w-]+$|^terraform\.backend\.\w+$/);
    // the line synthesis prints: rule id, address, what fails, the rule and its fix
    expect(formatViolation({ rule, finding: findings[0] })).toBe(`[${id}] ${findings[0].address}: ${findings[0].detail}: ${rule.message}. Fix: ${rule.fix}`);
  });
});

describe("rule details", () => {
  it("AIVO-SG-OPEN-INGRESS reports each open ingress, whichever resource writes it, and names the ALB exception", () => {
    const findings = findingsOf("AIVO-SG-OPEN-INGRESS", RULE_FIXTURES["AIVO-SG-OPEN-INGRESS"].fail);
    expect(findings.map((f) => [f.address, f.detail])).toEqual([
      ["aws_security_group.legacy", "ingress from ::/0 on 0-65535/-1"],
      ["aws_security_group_rule.ssh", "ingress from 0.0.0.0/0 on 22/tcp"],
      ["aws_vpc_security_group_ingress_rule.https", "ingress from 0.0.0.0/0 on 443/tcp"],
    ]);
    expect(RULES.find((r) => r.id === "AIVO-SG-OPEN-INGRESS")!.message).toContain("TCP 443 into the security group of an internet-facing application load balancer");
  });

  it("AIVO-SG-OPEN-INGRESS does not excuse 443 on a public ALB when the range is wider than 443", () => {
    const sg = "${aws_security_group.alb.id}";
    const wide = doc(
      ["aws_security_group", "alb", {}],
      ["aws_lb", "public", { internal: false, security_groups: [sg] }],
      ["aws_vpc_security_group_ingress_rule", "r", { security_group_id: sg, cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 8443, ip_protocol: "tcp" }],
    );
    expect(findingsOf("AIVO-SG-OPEN-INGRESS", wide).map((f) => f.detail)).toEqual(["ingress from 0.0.0.0/0 on 443-8443/tcp"]);
  });

  it("AIVO-IMDSV2 flags a node group without a launch template", () => {
    const details = findingsOf("AIVO-IMDSV2", RULE_FIXTURES["AIVO-IMDSV2"].fail).map((f) => f.detail);
    expect(details).toEqual(["http_tokens optional", "node group without a launch template (IMDSv1 allowed)"]);
  });

  it("AIVO-BACKEND-ENCRYPTED-LOCKED rejects local state and accepts S3-native locking", () => {
    expect(findingsOf("AIVO-BACKEND-ENCRYPTED-LOCKED", { terraform: {} }).map((f) => f.detail)).toEqual(["local backend"]);
    expect(findingsOf("AIVO-BACKEND-ENCRYPTED-LOCKED", { terraform: { backend: { s3: { encrypt: true, use_lockfile: true } } } })).toEqual([]);
  });

  it("AIVO-S3-* accept buckets whose configuration resources name them literally", () => {
    const literal = doc(
      ["aws_s3_bucket", "b", { bucket: "aivo-literal" }],
      ["aws_s3_bucket_versioning", "v", { bucket: "aivo-literal", versioning_configuration: { status: "Enabled" } }],
    );
    expect(findingsOf("AIVO-S3-VERSIONING", literal)).toEqual([]);
    expect(findingsOf("AIVO-S3-PUBLIC-ACCESS", literal).map((f) => f.detail)).toEqual(["no public access block"]);
  });
});

describe("AIVO-HELM-NO-SECRETS on JSON values", () => {
  const release = (values: unknown) => doc(["helm_release", "h", { values: [JSON.stringify(values)] }]);

  it("finds a literal secret at any depth", () => {
    const findings = findingsOf("AIVO-HELM-NO-SECRETS", release({ grafana: { admin: { password: "s3cr3t" } }, replicas: 2 }));
    expect(findings.map((f) => f.detail)).toEqual(["literal secret in password"]);
  });

  it("accepts references and names of existing secrets", () => {
    const values = { auth: { existingSecret: "redis-auth", password: "${data.aws_secretsmanager_secret_version.p.secret_string}" } };
    expect(findingsOf("AIVO-HELM-NO-SECRETS", release(values))).toEqual([]);
  });
});
