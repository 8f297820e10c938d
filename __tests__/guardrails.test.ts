import { App, S3Backend, Testing, TerraformStack } from "cdktf";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { accountScopedBucketName } from "../modules/aws/data/secure-bucket";
import { Construct } from "constructs";
import { ENVIRONMENTS } from "../environments";
import { PlatformStack } from "../environments/platform-stack";
import { stateBackendConfig, stateKey } from "../environments/state";
import { synthPlatform } from "../environments/synth";
import { Guardrails, RULES, StackResult, reportGuardrails } from "../modules/shared/guardrails";
import { SARIF_SCHEMA, jsonLocator, toMarkdown, toSarif } from "../modules/shared/guardrails/report";
import { appDocuments, environmentStackNames, estimatePlatform } from "../environments/cost";
import { README_MARKERS, costDocument, readmeCostSummary, withGeneratedPart, withMarkedBlock } from "../environments/cost-document";
import { diagramEnvironments } from "../environments/diagram-environments";
import { componentsOf } from "../scripts/diagram/graph";
import { diagramSources, renderSvgs } from "../scripts/diagram/render";

const tags = { project: "aivo", environment: "test", costCenter: "test" };

/** A user's stack added at run time: a public bucket and a security group open to the internet on SSH. */
class InsecureStack extends PlatformStack {
  constructor(scope: Construct) {
    super(scope, "insecure", { region: "us-east-1", tags });
    new S3Backend(this, stateBackendConfig(stateKey("insecure")));
    const bucket = new S3Bucket(this, "public-bucket", { bucket: accountScopedBucketName(this, "aivo-insecure-public") });
    new S3BucketPublicAccessBlock(this, "public-bucket-pab", {
      bucket: bucket.id,
      blockPublicAcls: false,
      blockPublicPolicy: false,
      ignorePublicAcls: false,
      restrictPublicBuckets: false,
    });
    const sg = new SecurityGroup(this, "open-sg", { name: "open", vpcId: "vpc-123" });
    new VpcSecurityGroupIngressRule(this, "ssh-from-anywhere", { securityGroupId: sg.id, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22, ipProtocol: "tcp" });
  }
}

describe("npm run synth with a deliberately insecure stack added", () => {
  const outdir = mkdtempSync(join(tmpdir(), "aivo-guardrails-"));
  const app = new App({ outdir });
  new InsecureStack(app);
  const lines: string[] = [];
  const code = synthPlatform(ENVIRONMENTS, app, (line) => lines.push(line), (line) => lines.push(line));
  const results = Object.fromEntries(Guardrails.resultsOf(app).map((r) => [r.stack, r]));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("fails, naming the public bucket and the open security group with rule, construct path, address and fix", () => {
    expect(code).toBe(1);
    const errors = lines.filter((l) => l.startsWith("error: "));
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^error: \[AIVO-S3-PUBLIC-ACCESS\] insecure\/public-bucket \(aws_s3_bucket\.public-bucket\): public access block without block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets: S3 buckets block all public access\. Fix: add an aws_s3_bucket_public_access_block/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^error: \[AIVO-SG-OPEN-INGRESS\] insecure\/ssh-from-anywhere \(aws_vpc_security_group_ingress_rule\.ssh-from-anywhere\): ingress from 0\.0\.0\.0\/0 on 22\/tcp: .* Fix: admit a security group/,
      ),
    );
  });

  it("lists every error of the run, and only the insecure stack's", () => {
    const errors = lines.filter((l) => l.startsWith("error: "));
    expect(errors.map((l) => /\[([A-Z0-9-]+)\]/.exec(l)![1]).sort()).toEqual(
      ["AIVO-S3-ENCRYPTION", "AIVO-S3-PUBLIC-ACCESS", "AIVO-S3-VERSIONING", "AIVO-SG-OPEN-INGRESS", "AIVO-TLS-ONLY-POLICY"].sort(),
    );
    expect(errors.every((l) => l.includes(" insecure/"))).toBe(true);
  });

  it("prints warnings with their count and one summary line per stack", () => {
    // The guardrails' warnings (the budget rule's come after them, see cost-and-diagrams below).
    expect(lines.filter((l) => l.startsWith("warning: ["))).toEqual([expect.stringContaining("[AIVO-S3-ACCESS-LOGGING] insecure/public-bucket")]);
    const summaries = lines.filter((l) => l.startsWith("guardrails "));
    expect(summaries.map((l) => l.split(":")[0])).toEqual(
      ["insecure", ...app.node.children.map((c) => c.node.id).filter((id) => id !== "insecure")].map((s) => `guardrails ${s}`),
    );
    expect(summaries).toContain(`guardrails insecure: 5 error(s), 1 warning(s), 0 suppressed, 0 unused suppression(s) (${RULES.length} rules, 4 resources)`);
    expect(lines.filter((l) => l.startsWith("guardrails: "))).toEqual([`guardrails: 5 error(s), 1 warning(s), 0 unused suppression(s) in ${app.node.children.length} stack(s)`]);
    // Then one cost line per environment (environments/synth.ts, reportBudgets).
    expect(lines.slice(-ENVIRONMENTS.length).map((l) => l.split(":")[0])).toEqual(ENVIRONMENTS.map((e) => `cost ${e.name}`));
  });

  it("leaves every shipped stack without an error, a warning or an unused suppression", () => {
    for (const name of ["bootstrap", "account", ...ENVIRONMENTS.map((e) => e.name)]) {
      const r: StackResult = results[name];
      expect([name, r.violations.map((v) => v.rule.id), r.unusedSuppressions]).toEqual([name, [], []]);
    }
  });

  it("keeps to the documented suppressions (docs/guardrails.md), each with its reason", () => {
    const used = Object.values(results).flatMap((r) =>
      [...new Set(r.suppressed.map((v) => v.suppressedBy!))].map((s) => `${s.constructPath} ${s.ruleId}`),
    );
    // The exceptions follow the tier and the config (environment-stack.ts, suppressGuardrailExceptions), never a name.
    const DEVELOPMENT_TIER_EXCEPTIONS = ["network AIVO-NAT-PER-AZ", "eks AIVO-EKS-DELETION-PROTECTION", "database AIVO-RDS-DELETION-PROTECTION", "database AIVO-RDS-BACKUP"];
    const accessLogs = (bucket: string) => [`${bucket} AIVO-S3-ENCRYPTION`, `${bucket} AIVO-S3-ACCESS-LOGGING`];
    expect(used.sort()).toEqual(
      [
        "bootstrap AIVO-BACKEND-ENCRYPTED-LOCKED",
        "bootstrap/state AIVO-S3-ACCESS-LOGGING",
        "bootstrap/state AIVO-S3-ACCOUNT-SCOPED-NAME",
        "account/audit-trail/bucket AIVO-S3-ACCESS-LOGGING",
        "account/access-logs AIVO-S3-ENCRYPTION",
        "account/access-logs AIVO-S3-ACCESS-LOGGING",
        "account/identity/admin-identity AIVO-IAM-PASSROLE-ANY",
        ...ENVIRONMENTS.flatMap((e) => [
          `${e.name}/eks AIVO-SG-OPEN-EGRESS`,
          ...accessLogs(`${e.name}/buckets/access-logs`),
          ...(e.tier !== "production" ? [`${e.name} AIVO-LOG-RETENTION-1Y`] : []),
          ...(e.tier === "development" ? DEVELOPMENT_TIER_EXCEPTIONS.map((exception) => `${e.name}/${exception}`) : []),
          ...(e.buckets.replicateToDrRegion ? accessLogs(`${e.name}/buckets/dr-access-logs`) : []),
          ...(e.dr ? [`${e.name}-dr/eks AIVO-SG-OPEN-EGRESS`] : []),
        ]),
      ].sort(),
    );
    for (const e of ENVIRONMENTS.filter((c) => c.tier === "production")) {
      expect([e.name, [...new Set(results[e.name].suppressed.map((v) => v.rule.id))].sort()]).toEqual([e.name, ["AIVO-S3-ACCESS-LOGGING", "AIVO-S3-ENCRYPTION", "AIVO-SG-OPEN-EGRESS"]]);
    }
  });

  it("writes a SARIF 2.1.0 log with the rules and every finding, suppressed ones with their justification", () => {
    type SarifResult = { ruleId: string; suppressions?: unknown };
    const sarif = toSarif(Object.values(results)) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: SarifResult[] }[];
    };
    expect(sarif).toMatchObject({ $schema: SARIF_SCHEMA, version: "2.1.0" });
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const open = run.results.find((r) => r.ruleId === "AIVO-SG-OPEN-INGRESS");
    expect(open).toMatchObject({
      level: "error",
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: "cdktf.out/stacks/insecure/cdk.tf.json" } },
          logicalLocations: [
            { fullyQualifiedName: "aws_vpc_security_group_ingress_rule.ssh-from-anywhere", kind: "resource" },
            { fullyQualifiedName: "insecure/ssh-from-anywhere", kind: "module" },
          ],
        },
      ],
    });
    expect(open!.suppressions).toBeUndefined();
    const nat = run.results.find((r) => r.ruleId === "AIVO-NAT-PER-AZ");
    expect(nat!.suppressions).toEqual([{ kind: "inSource", status: "accepted", justification: expect.stringContaining("one NAT gateway") }]);
  });

  it("points SARIF results at the resource's line in the stack's cdk.tf.json", () => {
    const read = (stack: string) => {
      const file = join(outdir, "stacks", stack, "cdk.tf.json");
      return existsSync(file) ? readFileSync(file, "utf8") : undefined;
    };
    const locate = jsonLocator(read);
    const line = locate("insecure", "aws_vpc_security_group_ingress_rule.ssh-from-anywhere")!;
    const lines = read("insecure")!.split("\n");
    expect(lines[line - 1].trim()).toBe('"ssh-from-anywhere": {');
    expect(lines.slice(0, line).reverse().find((l) => /^ {4}"aws_/.test(l))!.trim()).toBe('"aws_vpc_security_group_ingress_rule": {');
    expect(locate("insecure", "aws_vpc_security_group_ingress_rule.nothing")).toBeUndefined();
    const sarif = toSarif(Object.values(results), RULES, locate) as { runs: { results: { ruleId: string; locations: unknown[] }[] }[] };
    const open = sarif.runs[0].results.find((r) => r.ruleId === "AIVO-SG-OPEN-INGRESS")!;
    expect(open.locations[0]).toMatchObject({ physicalLocation: { region: { startLine: line } } });
  });

  it("writes a markdown table of results, suppressions with their reasons, and the rules", () => {
    const md = toMarkdown(Object.values(results));
    expect(md).toContain("| insecure | 4 | 5 | 1 | 0 | 0 |");
    expect(md).toContain("| development | AIVO-NAT-PER-AZ | development/network | 1 | development runs one NAT gateway");
    expect(md).toMatch(/\| AIVO-KMS-ROTATION \| error \| CKV_AWS_7 \| /);
  });

  // This synthesis of every environment is reused (rather than a second one) for the generated docs.
  describe("cost-and-diagrams: what the stacks cost and look like", () => {
    // The guardrail errors stop cdktf before it writes the files; the documents are recorded.
    const docs = appDocuments(app);
    const estimate = estimatePlatform(docs, ENVIRONMENTS);

    it("compares each environment with its budget at synth: the acknowledged excess is a warning, never a silent pass", () => {
      for (const e of estimate.environments) {
        const over = e.totalUsd > e.config.cost.monthlyBudgetUsd;
        const ack = e.config.cost.overBudget;
        const expected = over ? (ack && e.totalUsd <= ack.upToUsd ? "warning" : "error") : ack ? "warning" : undefined;
        expect([e.config.name, e.findings.map((f) => f.severity)]).toEqual([e.config.name, expected ? [expected] : []]);
        for (const f of e.findings) expect(lines).toContain(`${f.severity}: ${f.message}`);
      }
    });

    it("prices every environment's major drivers, and every stack has a line or says why not", () => {
      for (const e of estimate.environments) {
        const types = new Set(e.stacks.flatMap((s) => s.lines.map((l) => l.type)));
        for (const type of ["aws_eks_cluster", "aws_eks_node_group", "aws_nat_gateway", "aws_kms_key", "aws_cloudwatch_metric_alarm", "aws_db_instance"]) {
          expect([e.config.name, type, types.has(type)]).toEqual([e.config.name, type, true]);
        }
        expect(e.stacks.map((s) => s.stack)).toEqual(environmentStackNames(e.config));
      }
    });

    it("keeps the README's cost summary current (npm run cost -- --write), and says so when its markers are gone", () => {
      const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
      expect(withMarkedBlock(readme, README_MARKERS, readmeCostSummary(estimate), "README.md") === readme).toBe(true);
      expect(() => withMarkedBlock("# no table here\n", README_MARKERS, "x", "README.md")).toThrow("README.md: the markers <!-- cost summary");
    });

    it("keeps docs/cost.md current (npm run cost -- --write)", () => {
      const file = readFileSync(join(__dirname, "..", "docs", "cost.md"), "utf8");
      expect(withGeneratedPart(file, costDocument(estimate)) === file).toBe(true);
    });

    it("keeps docs/diagrams current (npm run diagram), each showing every major component of its environment", async () => {
      const sources = diagramSources(docs, diagramEnvironments(ENVIRONMENTS));
      const svgs = await renderSvgs(sources);
      expect(Object.keys(svgs).sort()).toEqual([...ENVIRONMENTS.map((e) => `${e.name}.svg`), ...ENVIRONMENTS.filter((e) => e.dr).map((e) => `${e.name}-dr.svg`)].sort());
      for (const [file, svg] of Object.entries(svgs)) {
        const path = join(__dirname, "..", "docs", "diagrams", file);
        expect([file, existsSync(path) && readFileSync(path, "utf8") === svg]).toEqual([file, true]);
      }
      for (const e of diagramEnvironments(ENVIRONMENTS)) {
        const titles = new Set([...svgs[`${e.name}.svg`].matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]));
        const components = componentsOf(e.stacks.map((s) => docs[s]));
        expect(components.map((c) => c.id)).toEqual(expect.arrayContaining(["eks", "rds", "elasticache", "s3", "kms", "cloudwatch", "cloudfront", "waf", "nat"]));
        for (const c of components) expect([e.name, c.id, titles.has(c.id)]).toEqual([e.name, c.id, true]);
        if (e.drStack) for (const c of componentsOf([docs[e.drStack]]).filter((c) => c.place !== "outside")) expect([e.name, `dr_${c.id}`, titles.has(`dr_${c.id}`)]).toEqual([e.name, `dr_${c.id}`, true]);
      }
    });
  });
});

describe("suppressions", () => {
  const newStack = () => new PlatformStack(Testing.app(), "s", { region: "us-east-1", tags });

  it("rejects an unknown rule id, naming the construct and the known ids", () => {
    const stack = newStack();
    expect(() => Guardrails.suppress(stack, "AIVO-NO-SUCH-RULE", "because")).toThrow(
      /^s: suppression of "AIVO-NO-SUCH-RULE": unknown rule id; known ids: AIVO-ENC-EBS, /,
    );
  });

  it.each(["", "   "])("rejects the reason %j", (reason) => {
    const stack = newStack();
    expect(() => Guardrails.suppress(stack, "AIVO-ENC-SNS", reason)).toThrow(
      `s: suppression of AIVO-ENC-SNS: ${JSON.stringify(reason)} is not a reason; say why the rule does not apply here`,
    );
  });

  it("covers the construct it is attached to and everything under it, not its siblings", () => {
    const stack = newStack();
    new S3Backend(stack, stateBackendConfig(stateKey("s")));
    const legacy = new Construct(stack, "legacy");
    new SnsTopic(legacy, "topic", { name: "plain" });
    new SnsTopic(stack, "other", { name: "plain-too" });
    Guardrails.suppress(legacy, "AIVO-ENC-SNS", "a test");
    Testing.synth(stack);
    const result = Guardrails.resultOf(stack)!;
    expect(result.suppressed.filter((v) => v.rule.id === "AIVO-ENC-SNS").map((v) => v.finding.constructPath)).toEqual(["s/legacy/topic"]);
    expect(result.violations.filter((v) => v.rule.id === "AIVO-ENC-SNS").map((v) => v.finding.constructPath)).toEqual(["s/other"]);
  });

  it("reports one that matched nothing as unused", () => {
    const app = Testing.app();
    const stack = new PlatformStack(app, "s", { region: "us-east-1", tags });
    new S3Backend(stack, stateBackendConfig(stateKey("s")));
    Guardrails.suppress(stack, "AIVO-CLOUDFRONT-WAF", "no distribution here any more");
    Testing.synth(stack);
    expect(Guardrails.resultOf(stack)!.unusedSuppressions).toEqual([
      { ruleId: "AIVO-CLOUDFRONT-WAF", reason: "no distribution here any more", constructPath: "s" },
    ]);
    const lines: string[] = [];
    expect(reportGuardrails(app, (l) => lines.push(l), (l) => lines.push(l))).toBe(0);
    expect(lines).toContain('warning: unused suppression of AIVO-CLOUDFRONT-WAF on s ("no distribution here any more"): remove it');
    expect(lines).toContain(`guardrails s: 0 error(s), 0 warning(s), 0 suppressed, 1 unused suppression(s) (${RULES.length} rules, 0 resources)`);
  });
});

describe("where the guardrails run", () => {
  it("fail app.synth() itself, not only synthPlatform, when an error remains", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "aivo-guardrails-")) });
    const stack = new PlatformStack(app, "plain", { region: "us-east-1", tags });
    new SnsTopic(stack, "topic", { name: "plain" });
    expect(() => app.synth()).toThrow(/\[AIVO-ENC-SNS\] plain\/topic \(aws_sns_topic\.topic\): topic without a CMK/);
    rmSync(app.outdir, { recursive: true, force: true });
  });

  it("check a stack synthesized as HCL, which never calls toTerraform()", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "aivo-guardrails-")), hclOutput: true });
    const stack = new PlatformStack(app, "hcl", { region: "us-east-1", tags });
    new SnsTopic(stack, "topic", { name: "plain" });
    expect(() => app.synth()).toThrow(/\[AIVO-ENC-SNS\] hcl\/topic/);
    rmSync(app.outdir, { recursive: true, force: true });
  });

  it("leave stacks that are not PlatformStacks alone unless applied", () => {
    const stack = new TerraformStack(Testing.app(), "raw");
    new SnsTopic(stack, "topic", { name: "plain" });
    Testing.synth(stack);
    expect(Guardrails.resultOf(stack)).toBeUndefined();
    Guardrails.applyTo(stack);
    expect(Guardrails.resultOf(stack)!.violations.map((v) => v.rule.id)).toContain("AIVO-ENC-SNS");
  });
});

describe("synthPlatform and a mistake thrown while building", () => {
  it("reports the mistake, not the guardrails, when a stack fails to build", () => {
    const app = Testing.app();
    const stack = new PlatformStack(app, "half-built", { region: "us-east-1", tags });
    new SnsTopic(stack, "topic", { name: "plain" }); // would violate AIVO-ENC-SNS, were it synthesized
    const lines: string[] = [];
    const bad = ENVIRONMENTS.map((c) => (c.name === "production" ? { ...c, drRegion: c.region } : c));
    expect(synthPlatform(bad, app, (l) => lines.push(l), (l) => lines.push(l))).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^error: production\.drRegion: us-east-1 equals the primary region/),
      expect.stringMatching(/^error: production\.dr\.network\.availabilityZones\[0\]: "us-west-2a" is not an availability zone of us-east-1/),
    ]);
  });
});
