import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { ACCOUNT } from "../environments/account";
import { development } from "../environments/development";
import { DELEGATION_TTL_SECONDS, DnsZones, DnsZonesProps } from "../modules/aws/network/dns-zones";
import { PLATFORM_SERVICE_LINKED_ROLES, ServiceLinkedRoles, ServiceLinkedRolesProps } from "../modules/aws/security/service-linked-roles";
import { TerraformJson, configsOf, parse, resourcesOf } from "./helpers";
import { accountStackAlone } from "./account-helpers";

// The account stack alone (environments.test.ts synthesizes the environments; environments-resources.test.ts reads the shared synthesis).
const environmentDomains = Object.fromEntries(ENVIRONMENTS.map((config) => [config.name, config.edge.domain]));
const account = parse(Testing.synth(accountStackAlone(environmentDomains)));

function synthRoles(props: Partial<ServiceLinkedRolesProps> = {}): TerraformJson {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new ServiceLinkedRoles(scope, "slr", { configPath: "account.serviceLinkedRoles", ...props });
    }),
  );
}

function synthDns(props: Partial<DnsZonesProps> = {}): TerraformJson {
  return parse(
    Testing.synthScope((scope) => {
      new DnsZones(scope, "dns", {
        apexDomain: "aivo.edu",
        environmentDomains: { development: "dev.aivo.edu", production: "aivo.edu" },
        configPath: "account.dns",
        ...props,
      });
    }),
  );
}

describe("account stack: service-linked roles", () => {
  it("creates the Auto Scaling, EC2 Spot and Config service-linked roles once per account, at stable addresses", () => {
    const roles = resourcesOf(account, "aws_iam_service_linked_role");
    expect(Object.keys(roles).sort()).toEqual(["autoscaling", "config", "spot"]);
    expect(roles.config.aws_service_name).toBe("config.amazonaws.com");
    expect(roles.autoscaling.aws_service_name).toBe("autoscaling.amazonaws.com");
    expect(roles.spot.aws_service_name).toBe("spot.amazonaws.com");
    expect(PLATFORM_SERVICE_LINKED_ROLES["autoscaling.amazonaws.com"]).toBe("AWSServiceRoleForAutoScaling");
    // A fresh account: nothing to import.
    expect((account as { import?: unknown }).import).toBeUndefined();
  });

  it("imports the roles that already exist instead of creating them", () => {
    const doc = synthRoles({ alreadyExist: ["autoscaling.amazonaws.com"] }) as TerraformJson & { import?: Record<string, any>[] };
    expect(doc.import).toEqual([
      {
        to: "aws_iam_service_linked_role.autoscaling",
        id: expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/,
        ),
      },
    ]);
  });

  it("rejects an unknown or repeated service", () => {
    const bad = ["ec2.amazonaws.com"] as unknown as ServiceLinkedRolesProps["alreadyExist"];
    expect(() => synthRoles({ alreadyExist: bad })).toThrow(
      'account.serviceLinkedRoles.alreadyExist[0]: "ec2.amazonaws.com" is not a service whose role the platform manages; use autoscaling.amazonaws.com, spot.amazonaws.com',
    );
    expect(() => synthRoles({ alreadyExist: ["spot.amazonaws.com", "spot.amazonaws.com"] })).toThrow(
      'account.serviceLinkedRoles.alreadyExist[1]: "spot.amazonaws.com" is listed twice',
    );
  });
});

describe("account stack: DNS ownership", () => {
  const zones = configsOf(account, "aws_route53_zone");
  const records = configsOf(account, "aws_route53_record");
  // An environment whose domain is the apex (production's aivo.edu) uses the apex zone; the others get a delegated zone.
  const delegated = [...new Set(ENVIRONMENTS.map((e) => e.edge.domain).filter((d) => d !== ACCOUNT.dns.apexDomain))];
  const zoneRef = (name: string) => {
    const [id] = Object.entries(resourcesOf(account, "aws_route53_zone")).find(([, z]) => z.name === name)!;
    return `aws_route53_zone.${id}`;
  };

  it("owns the apex zone and one zone per environment below it", () => {
    expect(ACCOUNT.dns.apexDomain).toBe("aivo.edu");
    expect(zones.map((z) => z.name).sort()).toEqual([ACCOUNT.dns.apexDomain, ...delegated].sort());
  });

  it("delegates each environment zone from the apex with its name servers", () => {
    expect(records).toHaveLength(delegated.length);
    for (const domain of delegated) {
      const record = records.find((r) => r.name === domain)!;
      expect(record).toEqual({
        zone_id: `\${${zoneRef("aivo.edu")}.zone_id}`,
        name: domain,
        type: "NS",
        ttl: DELEGATION_TTL_SECONDS,
        records: `\${${zoneRef(domain)}.name_servers}`,
      });
    }
  });

  it("outputs the apex name servers for the registrar, the one manual DNS step", () => {
    expect(account.output!.apex_name_servers.value).toBe(`\${${zoneRef("aivo.edu")}.name_servers}`);
  });

  it("maps production's apex domain to the apex zone itself", () => {
    const doc = synthDns();
    expect(configsOf(doc, "aws_route53_zone").map((z) => z.name).sort()).toEqual(["aivo.edu", "dev.aivo.edu"]);
    expect(configsOf(doc, "aws_route53_record").map((r) => r.name)).toEqual(["dev.aivo.edu"]);
  });

  it("rejects an environment domain outside the apex, a shared domain and a malformed apex", () => {
    expect(() => synthDns({ environmentDomains: { development: "dev.example.org" } })).toThrow(
      'development.edge.domain: "dev.example.org" is not aivo.edu or a name under it (account.dns.apexDomain)',
    );
    expect(() => synthDns({ environmentDomains: { development: "dev.aivo.edu", staging: "dev.aivo.edu" } })).toThrow(
      'staging.edge.domain: "dev.aivo.edu" is also development.edge.domain; every environment needs its own domain',
    );
    expect(() => synthDns({ apexDomain: "AIVO.edu." })).toThrow('account.dns.apexDomain: "AIVO.edu." is not a domain name');
  });

  it("stops synthesis when an environment's domain is not under the account's apex", () => {
    const moved = { ...development, edge: { ...development.edge, domain: "dev.example.org", originDomain: "origin.dev.example.org" } };
    expect(() => buildPlatform(Testing.app(), [moved])).toThrow('development.edge.domain: "dev.example.org" is not aivo.edu or a name under it');
  });
});

describe("account stack: right-sizing and waste (Compute Optimizer, Cost Optimization Hub)", () => {
  it("enrols the account in Compute Optimizer, then in Cost Optimization Hub with savings net of existing discounts", () => {
    const [optimizer] = configsOf(account, "aws_computeoptimizer_enrollment_status");
    expect(optimizer).toMatchObject({ status: "Active", include_member_accounts: false });
    const [hub] = Object.entries(resourcesOf(account, "aws_costoptimizationhub_enrollment_status"));
    expect(hub[1].depends_on).toEqual([expect.stringContaining("aws_computeoptimizer_enrollment_status.")]);
    expect(configsOf(account, "aws_costoptimizationhub_preferences")).toEqual([
      expect.objectContaining({ savings_estimation_mode: "AfterDiscounts", depends_on: [`aws_costoptimizationhub_enrollment_status.${hub[0]}`] }),
    ]);
    expect(account.output?.compute_optimizer_status).toBeDefined();
  });
});
