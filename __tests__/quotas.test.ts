import { readFileSync } from "fs";
import { join } from "path";
import { App, S3Backend, Testing } from "cdktf";
import { Construct } from "constructs";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { PlatformStack } from "../environments/platform-stack";
import { stateBackendConfig, stateKey } from "../environments/state";
import { Guardrails, reportGuardrails } from "../modules/shared/guardrails";
import { ServiceQuotas } from "../modules/aws/security/service-quotas";
import { QUOTAS, QUOTA_DOC, QUOTA_REQUESTS_FIELD, checkQuotas, formatExceeded, measureUsage, nodeVcpus, quotaMarkdown, standardVcpus } from "../modules/shared/quotas";

const tags = { project: "aivo", environment: "test", costCenter: "test" };

/** A PlatformStack with its state in the shared backend (the guardrails' backend rule passes). */
class Stack extends PlatformStack {
  constructor(scope: Construct, id: string, region: string) {
    super(scope, id, { region, tags });
    new S3Backend(this, stateBackendConfig(stateKey(id)));
  }
}

/** A stack in `region` with `eips` Elastic IPs, `policies` account-wide log resource policies and `aclRules` inbound rules on one ACL. */
class Usage extends Stack {
  constructor(scope: Construct, id: string, region: string, counts: { eips?: number; policies?: number; aclRules?: number }) {
    super(scope, id, region);
    for (let i = 0; i < (counts.eips ?? 0); i++) new Eip(this, `eip-${i}`, { domain: "vpc" });
    for (let i = 0; i < (counts.policies ?? 0); i++) new CloudwatchLogResourcePolicy(this, `policy-${i}`, { policyName: `p${i}`, policyDocument: "{}" });
    for (let i = 0; i < (counts.aclRules ?? 0); i++) {
      new NetworkAclRule(this, `rule-${i}`, { networkAclId: "acl-1", ruleNumber: 100 + i, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "10.0.0.0/16", fromPort: 443, toPort: 443 });
    }
  }
}

function run(build: (app: App) => void): { code: number; lines: string[]; app: App } {
  const app = Testing.app();
  build(app);
  try {
    app.synth();
  } catch {
    // the report below lists what failed
  }
  const lines: string[] = [];
  const code = reportGuardrails(app, (l) => lines.push(l), (l) => lines.push(l));
  return { code, lines, app };
}

describe("the quota check of npm run synth", () => {
  it("fails when the stacks of one region together use more EIPs than the default, naming the code, the count per stack and the fix", () => {
    const { code, lines } = run((app) => {
      new Usage(app, "one", "us-east-1", { eips: 3 });
      new Usage(app, "two", "us-east-1", { eips: 3 });
      new Usage(app, "elsewhere", "us-west-2", { eips: 3 });
    });
    expect(code).toBe(1);
    const errors = lines.filter((l) => l.startsWith("error: [QUOTA"));
    expect(errors).toEqual([
      expect.stringContaining("error: [QUOTA ec2/L-0263D0A3] EC2-VPC Elastic IPs in us-east-1: the stacks use 6 (one 3, two 3), above the AWS default of 5. Fix: add "),
    ]);
    expect(errors[0]).toContain(`{ serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 6 or more } to ${QUOTA_REQUESTS_FIELD}`);
    expect(errors[0]).toContain("aws service-quotas request-service-quota-increase --region us-east-1 --service-code ec2 --quota-code L-0263D0A3 --desired-value 6");
    expect(lines).toContain("quotas: 2 usage(s) of 11 quotas checked, 0 above the default and requested in code, 1 exceeded");
  });

  it("fails app.synth() itself (the guardrails' app validation), not only the report", () => {
    const app = Testing.app();
    new Usage(app, "one", "us-east-1", { eips: 6 });
    expect(() => app.synth()).toThrow(/\[QUOTA ec2\/L-0263D0A3\]/);
  });

  it("passes when a request in code (aws_servicequotas_service_quota in that region) covers the usage, and says so", () => {
    const { code, lines } = run((app) => {
      const account = new Stack(app, "account", "us-east-1");
      new ServiceQuotas(account, "quotas", {
        configPath: "account.serviceQuotas",
        requests: [{ serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 8, reason: "test" }],
      });
      new Usage(app, "one", "us-east-1", { eips: 6 });
    });
    expect(code).toBe(0);
    expect(lines).toContain(
      "[QUOTA ec2/L-0263D0A3] EC2-VPC Elastic IPs in us-east-1: 6 used, above the default 5, within the 8 requested by account: aws_servicequotas_service_quota.us-east-1-L-0263D0A3",
    );
  });

  it("still fails when the request is smaller than the usage, or made in another region", () => {
    const { code, lines } = run((app) => {
      const account = new Stack(app, "account", "us-east-1");
      new ServiceQuotas(account, "quotas", {
        configPath: "account.serviceQuotas",
        requests: [
          { serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 6, reason: "test" },
          { serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-west-2", value: 20, reason: "test" },
        ],
      });
      new Usage(app, "one", "us-east-1", { eips: 7 });
    });
    expect(code).toBe(1);
    expect(lines.find((l) => l.startsWith("error: [QUOTA"))).toContain("above the AWS default of 5 and the 6 requested by account: aws_servicequotas_service_quota.us-east-1-L-0263D0A3");
  });

  it("reports a hard limit (CloudWatch Logs resource policies) as a change of design, counting only account-wide policies", () => {
    const { code, lines } = run((app) => {
      new Usage(app, "one", "eu-west-1", { policies: 6 });
      new Usage(app, "two", "eu-west-1", { policies: 5 });
    });
    expect(code).toBe(1);
    expect(lines.find((l) => l.startsWith("error: [QUOTA"))).toMatch(
      /^error: \[QUOTA logs \(no Service Quotas code\)\] CloudWatch Logs resource policies .* in eu-west-1: the stacks use 11 \(one 6, two 5\), above the AWS default of 10; a hard limit, no request raises it\. Fix: use fewer/,
    );
  });

  it("counts network ACL rules per ACL and direction against the 20 of L-2AEEBF1A", () => {
    const { code, lines } = run((app) => new Usage(app, "one", "us-east-1", { aclRules: 21 }));
    expect(code).toBe(1);
    expect(lines.find((l) => l.startsWith("error: [QUOTA"))).toContain("[QUOTA vpc/L-2AEEBF1A] Rules per network ACL in us-east-1 (acl-1 inbound): the stacks use 21");
  });

  it("reports a usage within the default as ok, against the default (the shipped platform's exit 0 is config-validation.test.ts's)", () => {
    const checks = checkQuotas([
      { stack: "a", doc: { provider: { aws: [{ region: "us-east-1" }] }, resource: { aws_eip: { x: {} } } } },
    ]);
    expect(checks).toEqual([expect.objectContaining({ status: "ok", limit: 5, usage: expect.objectContaining({ used: 1, region: "us-east-1" }) })]);
  });
});

describe("the usage counters", () => {
  const doc = (resource: Record<string, Record<string, Record<string, unknown>>>, data = {}) => ({
    provider: { aws: [{ region: "us-east-1" }, { alias: "dr", region: "us-west-2" }] },
    resource,
    data,
  });
  const used = (d: ReturnType<typeof doc>, key: string) => measureUsage([{ stack: "s", doc: d }]).filter((u) => u.quotaKey === key);

  it("counts a resource in its provider's region, or its own region argument", () => {
    const usage = used(doc({ aws_eip: { a: {}, b: { provider: "aws.dr" }, c: { region: "eu-west-1" } } }), "ec2-eips");
    expect(usage.map((u) => [u.region, u.used]).sort()).toEqual([["eu-west-1", 1], ["us-east-1", 1], ["us-west-2", 1]]);
  });

  it("counts the default VPC of a fresh account beside the stacks' VPCs", () => {
    expect(used(doc({ aws_vpc: { a: {} } }), "vpc-vpcs")[0]).toMatchObject({ used: 2 });
  });

  it("groups NAT gateways by the AZ of their subnet", () => {
    const d = doc({
      aws_subnet: { a: { availability_zone: "us-east-1a" }, b: { availability_zone: "us-east-1b" } },
      aws_nat_gateway: { x: { subnet_id: "${aws_subnet.a.id}" }, y: { subnet_id: "${aws_subnet.a.id}" }, z: { subnet_id: "${aws_subnet.b.id}" } },
    });
    expect(used(d, "vpc-nat-per-az").map((u) => [u.scope, u.used])).toEqual([["us-east-1a", 2], ["us-east-1b", 1]]);
  });

  it("weighs a managed prefix list as its max entries in a security group (CloudFront's origin-facing list: 55)", () => {
    const d = doc(
      {
        aws_security_group: { g: {} },
        aws_vpc_security_group_ingress_rule: {
          cf: { security_group_id: "${aws_security_group.g.id}", prefix_list_id: "${data.aws_ec2_managed_prefix_list.cf.id}" },
          one: { security_group_id: "${aws_security_group.g.id}", cidr_ipv4: "10.0.0.0/16" },
        },
      },
      { aws_ec2_managed_prefix_list: { cf: { name: "com.amazonaws.global.cloudfront.origin-facing" } } },
    );
    expect(used(d, "vpc-sg-rules")).toEqual([expect.objectContaining({ scope: "s: aws_security_group.g inbound", used: 56 })]);
  });

  it("counts only account-wide log resource policies (one with resource_arn has its own quota)", () => {
    expect(used(doc({ aws_cloudwatch_log_resource_policy: { a: {}, b: { resource_arn: "arn" } } }), "logs-resource-policies")[0].used).toBe(1);
  });

  it("counts node groups at desired size: On-Demand by the first type, Spot by the largest", () => {
    const d = doc({
      aws_eks_node_group: {
        od: { capacity_type: "ON_DEMAND", instance_types: ["m6i.large", "m6i.xlarge"], scaling_config: [{ desired_size: 3 }] },
        spot: { capacity_type: "SPOT", instance_types: ["m6i.large", "m5.xlarge"], scaling_config: { desired_size: 2 } },
      },
    });
    expect(used(d, "ec2-on-demand-standard-vcpus")[0].used).toBe(6);
    expect(used(d, "ec2-spot-standard-vcpus")[0].used).toBe(8);
    expect(nodeVcpus(["g5.xlarge"], false)).toBe(0);
    expect(standardVcpus("r6i.2xlarge")).toBe(8);
    expect(standardVcpus("p4d.24xlarge")).toBeUndefined();
  });
});

describe("the quota table", () => {
  it("has one row per quota code, each with a default, a scope and a source", () => {
    const codes = QUOTAS.flatMap((q) => (q.quotaCode ? [q.quotaCode] : []));
    expect(new Set(codes).size).toBe(codes.length);
    for (const q of QUOTAS) {
      expect(q.defaultValue).toBeGreaterThan(0);
      expect(q.source).not.toBe("");
      if (q.adjustable) expect(q.quotaCode).toMatch(/^L-[0-9A-F]{8}$/);
    }
    expect(QUOTAS.map((q) => q.quotaCode)).toEqual(expect.arrayContaining(["L-0263D0A3", "L-1216C47A", "L-34B43A08", "L-FE5A380F", "L-2AEEBF1A", "L-0EA8095F"]));
  });

  it("formats an exceeded hard limit without offering a request", () => {
    const [check] = checkQuotas([
      { stack: "s", doc: { provider: { aws: [{ region: "us-east-1" }] }, resource: { aws_cloudwatch_log_resource_policy: Object.fromEntries([...Array(11).keys()].map((i) => [`p${i}`, {}])) } } },
    ]);
    expect(check.status).toBe("exceeded");
    expect(formatExceeded(check)).not.toContain(QUOTA_REQUESTS_FIELD);
  });
});

describe("quotaMarkdown (npm run policy-report)", () => {
  it("lists the usages above the default or half their limit, with region, code, usage and status", () => {
    const eips = (n: number) => Object.fromEntries([...Array(n).keys()].map((i) => [`e${i}`, {}]));
    const md = quotaMarkdown(
      checkQuotas([
        { stack: "a", doc: { provider: { aws: [{ region: "us-east-1" }] }, resource: { aws_eip: eips(6), aws_eks_cluster: { c: {} } } } },
      ]),
    );
    expect(md).toContain("| us-east-1 | EC2-VPC Elastic IPs | L-0263D0A3 | the region | 6 | 5 | 5 | exceeded |");
    expect(md).not.toContain("Clusters"); // 1 of 100
  });
});

describe("docs/first-apply-aws.md", () => {
  it("lists every quota of the table with its default", () => {
    const text = readFileSync(join(__dirname, "..", QUOTA_DOC), "utf8");
    for (const q of QUOTAS) {
      const row = text.split("\n").find((l) => l.startsWith("|") && (q.quotaCode ? l.includes(`\`${q.quotaCode}\``) : l.includes(`\`${q.serviceCode}\``) && l.includes("**no**")));
      expect(row).toContain(`| ${q.defaultValue.toLocaleString("en-US")} |`);
    }
  });
});

describe("ServiceQuotas (account.serviceQuotas.requests)", () => {
  const make = (requests: ConstructorParameters<typeof ServiceQuotas>[2]["requests"]) => () =>
    Testing.synthScope((scope) => new ServiceQuotas(scope, "q", { configPath: "account.serviceQuotas", requests }));
  const base = { serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 10, reason: "NAT EIPs" };

  it("writes one aws_servicequotas_service_quota per request, in its region", () => {
    const synthesized = make([base])();
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: "aws_servicequotas_service_quota" } as never, { service_code: "ec2", quota_code: "L-0263D0A3", region: "us-east-1", value: 10 });
  });

  it.each([
    [{ ...base, quotaCode: "0263D0A3" }, 'account.serviceQuotas.requests[0].quotaCode: "0263D0A3" is not a quota code'],
    [{ ...base, region: "useast1" }, 'account.serviceQuotas.requests[0].region: "useast1" is not an AWS region'],
    [{ ...base, value: 2.5 }, "account.serviceQuotas.requests[0].value: 2.5 is not a positive whole number"],
    [{ ...base, value: 5 }, "account.serviceQuotas.requests[0].value: 5 is not above the AWS default of 5 for L-0263D0A3"],
    [{ ...base, serviceCode: "vpc" }, 'account.serviceQuotas.requests[0].serviceCode: "vpc" is not the service of L-0263D0A3 (EC2-VPC Elastic IPs); use "ec2"'],
    [{ ...base, reason: " " }, "account.serviceQuotas.requests[0].reason: is empty"],
  ])("rejects %j", (request, message) => {
    expect(make([request])).toThrow(message);
  });

  it("rejects a second request for the same quota and region", () => {
    expect(make([base, { ...base, value: 12 }])).toThrow("account.serviceQuotas.requests[1]: us-east-1/ec2/L-0263D0A3 repeats account.serviceQuotas.requests[0]");
  });
});

// The guardrails' results must not leak between apps.
afterAll(() => expect(Guardrails.resultsOf(Testing.app())).toEqual([]));
