import { GUARDDUTY_DATA_SERVICE } from "../modules/aws/security/guardduty-agent";
/** The GuardDuty agent's endpoint exists in every environment (modules/aws/security/guardduty-agent), whatever vpcEndpoints says. */
const GUARDDUTY_ENDPOINT = `.${GUARDDUTY_DATA_SERVICE}`;
import { Testing } from "cdktf";
import { development } from "../environments/development";
import { EnvironmentStack } from "../environments/environment-stack";
import { production } from "../environments/production";
import { EnvironmentConfig } from "../environments/types";
import { ConfigError, validateEnvironments } from "../environments/validate";
import { staging } from "../environments/staging";
import { INTERFACE_ENDPOINT_SERVICES } from "../modules/aws/network/vpc-endpoints";
import { VPN_TUNNEL_CRYPTO } from "../modules/aws/network/site-to-site-vpn";
import { DEFAULT_DATABASE_PORTS, NACL_RULES_PER_DIRECTION, SMTP_SUBMISSION_PORT } from "../modules/aws/network/network-acls";
import { platformReceivers } from "../environments/observability";
import { configsOf, onlyResource, parse, policy, TerraformJson } from "./helpers";

/** A sample customer site: what a school district's VPN router would send us. */
const SAMPLE_CUSTOMER = { name: "district-42", bgpAsn: 65010, ipAddress: "203.0.113.10", routedCidrs: ["192.168.40.0/22", "172.20.0.0/24"] };
const productionWithVpn: EnvironmentConfig = { ...production, siteToSiteVpn: { enabled: true, customers: [SAMPLE_CUSTOMER] } };

const app = Testing.app();
const prod = parse(Testing.synth(new EnvironmentStack(app, productionWithVpn)));
const dev = parse(Testing.synth(new EnvironmentStack(app, development)));

const byTier = (doc: TerraformJson, tier: string) => {
  const acls = doc.resource!.aws_network_acl;
  const aclKey = Object.keys(acls).find((k) => acls[k].tags.Tier === tier)!;
  return configsOf(doc, "aws_network_acl_rule").filter((r) => r.network_acl_id === `\${aws_network_acl.${aclKey}.id}`);
};

describe("interface VPC endpoints", () => {
  it("exist in production for every service, with private DNS, in the private subnets", () => {
    const endpoints = configsOf(prod, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface" && !e.service_name.endsWith(GUARDDUTY_ENDPOINT));
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.us-east-1.${s}`).sort());
    for (const endpoint of endpoints) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.subnet_ids).toHaveLength(3);
      expect(endpoint.subnet_ids.every((id: string) => id.includes("network_private-us-east-1"))).toBe(true);
      expect(endpoint.security_group_ids).toHaveLength(1);
    }
  });

  it("sit behind one security group admitting only TCP 443 from the VPC, with no egress", () => {
    const group = configsOf(prod, "aws_security_group").find((g) => g.name === "aivo-production-vpc-endpoints")!;
    expect(group.egress).toEqual([]);
    const rules = configsOf(prod, "aws_vpc_security_group_ingress_rule").filter((r) => r.description === "HTTPS from the VPC");
    // The VPC's CIDR and the pods' secondary CIDR (VPC CNI custom networking), nothing else.
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(["10.0.0.0/16", production.network.podNetwork!.cidr].sort());
    expect(rules.every((r) => r.ip_protocol === "tcp" && r.from_port === 443 && r.to_port === 443)).toBe(true);
  });

  it("are off in development (its config), on in staging and production", () => {
    expect(configsOf(dev, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface" && !e.service_name.endsWith(GUARDDUTY_ENDPOINT))).toHaveLength(0);
    expect([development, staging, production].map((c) => c.vpcEndpoints.enabled)).toEqual([false, true, true]);
  });
});

describe("network ACLs per tier", () => {
  it("cover each tier's subnets", () => {
    const acls = configsOf(prod, "aws_network_acl");
    expect(acls.map((a) => a.tags.Tier).sort()).toEqual(["database", "private", "public"]);
    for (const acl of acls) {
      // The pods' subnets (secondary CIDR) belong to the private tier.
      const tiers = acl.tags.Tier === "private" ? ["private", "pods"] : [acl.tags.Tier];
      expect(acl.subnet_ids).toHaveLength(3 * tiers.length);
      expect(acl.subnet_ids.every((id: string) => tiers.some((tier) => id.includes(`network_${tier}-us-east-1`)))).toBe(true);
    }
  });

  // The pod network counts as one source (it holds only the pod subnets): sources × ports fit the ACL quota.
  const privateTier = [...production.network.privateSubnets, production.network.podNetwork!.cidr];

  it("let the database tier be reached from the private (node subnets and pod network) tier only, on the data-store ports", () => {
    const rules = byTier(prod, "database");
    const ingress = rules.filter((r) => !r.egress);
    const fromPrivate = ingress.filter((r) => privateTier.includes(r.cidr_block));
    expect(fromPrivate.map((r) => `${r.cidr_block}:${r.from_port}`).sort()).toEqual(
      privateTier.flatMap((c) => DEFAULT_DATABASE_PORTS.map((port) => `${c}:${port}`)).sort(),
    );
    expect(fromPrivate.every((r) => r.protocol === "tcp" && r.from_port === r.to_port)).toBe(true);
    // The rest is the tier talking to itself; nothing from the public tier, the VPC at large or the internet.
    const others = ingress.filter((r) => !privateTier.includes(r.cidr_block));
    expect(others.map((r) => r.cidr_block).sort()).toEqual([...production.network.databaseSubnets].sort());
    const cidrs = rules.map((r) => r.cidr_block);
    for (const forbidden of ["0.0.0.0/0", "10.0.0.0/16", ...production.network.publicSubnets]) expect(cidrs).not.toContain(forbidden);
    expect(rules.every((r) => r.rule_action === "allow")).toBe(true);
  });

  it("admit, from every private-tier source, the port of every data store in the database subnets (PostgreSQL, Redis, InfluxDB)", () => {
    // The data stores' own security groups say which ports they serve to the nodes.
    const storeGroups = [
      ...configsOf(prod, "aws_db_instance").flatMap((d) => d.vpc_security_group_ids ?? []),
      ...configsOf(prod, "aws_elasticache_replication_group").flatMap((r) => r.security_group_ids ?? []),
      ...configsOf(prod, "aws_timestreaminfluxdb_db_instance").flatMap((i) => i.vpc_security_group_ids ?? []),
    ];
    const ports = new Set(
      configsOf(prod, "aws_vpc_security_group_ingress_rule").filter((r) => storeGroups.includes(r.security_group_id)).map((r) => r.from_port as number),
    );
    expect([...ports].sort()).toEqual([5432, 6379, 8086]);
    const admitted = byTier(prod, "database").filter((r) => !r.egress).map((r) => `${r.cidr_block}:${r.from_port}`);
    for (const port of ports) for (const source of privateTier) expect(admitted).toContain(`${source}:${port}`);
    // Within the quota, with room for two more ports.
    expect(admitted.length).toBeLessThanOrEqual(NACL_RULES_PER_DIRECTION);
  });

  it("let Alertmanager's mail out: the SMTP relay's port from the private tier and on through the NAT's public tier", () => {
    const port = Number(platformReceivers(true).email.smarthost.split(":")[1]);
    expect(port).toBe(SMTP_SUBMISSION_PORT);
    for (const doc of [prod, dev]) {
      for (const tier of ["private", "public"]) {
        expect(byTier(doc, tier)).toContainEqual(expect.objectContaining({ egress: true, protocol: "tcp", cidr_block: "0.0.0.0/0", from_port: port, to_port: port }));
        // The replies come back on the ephemeral ports.
        expect(byTier(doc, tier)).toContainEqual(expect.objectContaining({ egress: false, protocol: "tcp", cidr_block: "0.0.0.0/0", from_port: 1024, to_port: 65535 }));
      }
    }
  });

  it("admit HTTPS from the internet to the public tier, never to the private tier", () => {
    const publicIn = byTier(prod, "public").filter((r) => !r.egress && r.cidr_block === "0.0.0.0/0");
    expect(publicIn).toContainEqual(expect.objectContaining({ protocol: "tcp", from_port: 443, to_port: 443 }));
    const privateIn = byTier(prod, "private").filter((r) => !r.egress && r.cidr_block === "0.0.0.0/0");
    // Only return traffic (ephemeral ports) of connections the nodes opened through the NAT.
    expect(privateIn.every((r) => r.from_port === 1024 && r.to_port === 65535)).toBe(true);
  });

  it("admit the VPN customers' networks to the private tier", () => {
    const privateCidrs = byTier(prod, "private").map((r) => r.cidr_block);
    for (const cidr of SAMPLE_CUSTOMER.routedCidrs) expect(privateCidrs).toContain(cidr);
    expect(byTier(dev, "private").map((r) => r.cidr_block)).not.toContain("192.168.40.0/22");
  });
});

describe("Transit Gateway and Site-to-Site VPN", () => {
  it("are off by default", () => {
    expect(dev.resource!.aws_ec2_transit_gateway).toBeUndefined();
    expect(dev.resource!.aws_vpn_connection).toBeUndefined();
  });

  it("attach a Transit Gateway to the private subnets, never auto-accepting shared attachments", () => {
    expect(onlyResource(prod, "aws_ec2_transit_gateway")).toEqual(expect.objectContaining({ auto_accept_shared_attachments: "disable", amazon_side_asn: 64512 }));
    expect(onlyResource(prod, "aws_ec2_transit_gateway_vpc_attachment").subnet_ids).toHaveLength(3);
  });

  it("connect the sample customer over BGP with IKEv2 and strong ciphers on both tunnels", () => {
    expect(onlyResource(prod, "aws_customer_gateway")).toEqual(expect.objectContaining({ bgp_asn: "65010", ip_address: "203.0.113.10", type: "ipsec.1" }));
    const vpn = onlyResource(prod, "aws_vpn_connection");
    expect(vpn.static_routes_only).toBe(false);
    for (const t of ["tunnel1", "tunnel2"]) {
      expect(vpn[`${t}_ike_versions`]).toEqual(["ikev2"]);
      for (const phase of ["phase1", "phase2"]) {
        expect(vpn[`${t}_${phase}_encryption_algorithms`]).toEqual([...VPN_TUNNEL_CRYPTO.encryptionAlgorithms]);
        expect(vpn[`${t}_${phase}_integrity_algorithms`]).toEqual([...VPN_TUNNEL_CRYPTO.integrityAlgorithms]);
        expect(vpn[`${t}_${phase}_dh_group_numbers`]).toEqual([19, 20, 21]);
      }
      const logs = vpn[`${t}_log_options`].cloudwatch_log_options;
      expect(logs).toEqual(expect.objectContaining({ log_enabled: true, bgp_log_enabled: true, log_output_format: "json" }));
      expect(logs.log_group_arn).toMatch(/aws_cloudwatch_log_group\./);
    }
    const group = configsOf(prod, "aws_cloudwatch_log_group").find((g) => g.name === "/aws/vpn/aivo-production")!;
    expect(group).toEqual(expect.objectContaining({ retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key/) }));
  });

  it("route each customer network from every private route table through the Transit Gateway", () => {
    const routes = configsOf(prod, "aws_route").filter((r) => r.transit_gateway_id);
    expect(routes).toHaveLength(SAMPLE_CUSTOMER.routedCidrs.length * 3);
    expect(new Set(routes.map((r) => r.destination_cidr_block))).toEqual(new Set(SAMPLE_CUSTOMER.routedCidrs));
  });
});

describe("X-Ray per environment", () => {
  it("groups the environment's traces by the collector's annotation, with insights", () => {
    expect(onlyResource(prod, "aws_xray_group")).toEqual(
      expect.objectContaining({
        group_name: "aivo-production",
        filter_expression: 'annotation.aivo_environment = "production"',
        insights_configuration: { insights_enabled: true, notifications_enabled: false },
      }),
    );
  });

  it("samples the environment's services by its rules", () => {
    expect(onlyResource(prod, "aws_xray_sampling_rule")).toEqual(
      expect.objectContaining({ rule_name: "aivo-production-default", service_name: "aivo-production-*", fixed_rate: 0.05, reservoir_size: 5, priority: 1000 }),
    );
    expect(onlyResource(dev, "aws_xray_sampling_rule").fixed_rate).toBe(1);
  });

  it("gives the ADOT collector's service account, and only it, a role that writes traces", () => {
    const role = configsOf(prod, "aws_iam_role").find((r) => r.name === "aivo-production-adot-collector")!;
    const trust = policy(role.assume_role_policy).Statement[0];
    expect(Object.values(trust.Condition.StringEquals)).toContain("system:serviceaccount:observability:adot-collector");
    const inline = configsOf(prod, "aws_iam_role_policy").find((p) => p.name === "aivo-production-adot-collector")!;
    expect(policy(inline.policy).Statement[0].Action).toEqual(expect.arrayContaining(["xray:PutTraceSegments", "xray:GetSamplingRules"]));
  });
});

describe("validation of the connectivity, tracing, Auth0 and Vault settings", () => {
  const withProduction = (change: Partial<EnvironmentConfig>) => [development, staging, { ...production, ...change }];
  const auth0 = (change: Partial<EnvironmentConfig["auth0"]>) => withProduction({ auth0: { ...production.auth0, ...change } });
  const vault = { address: "https://vault.aivo.edu:8200", kubernetesAuthRole: "aivo-production", policies: ["aivo-read"] };
  const vpn = (customer: Partial<typeof SAMPLE_CUSTOMER>) => withProduction({ siteToSiteVpn: { enabled: true, customers: [{ ...SAMPLE_CUSTOMER, ...customer }] } });
  const tailscale = { enabled: true, advertiseRoutes: ["10.0.1.0/24"], authKeySecretName: "aivo/production/tailscale/auth-key" };

  it("accepts the optional parts when they are right", () => {
    expect(() => validateEnvironments(withProduction({ vault, tailscale, siteToSiteVpn: productionWithVpn.siteToSiteVpn }))).not.toThrow();
  });

  it.each([
    ["production without endpoints", withProduction({ vpcEndpoints: { enabled: false } }), "production.vpcEndpoints.enabled: false; production keeps AWS API traffic on PrivateLink"],
    ["an unknown endpoint service", withProduction({ vpcEndpoints: { enabled: true, services: ["sts", "s3" as never] } }), 'production.vpcEndpoints.services[1]: "s3" is not a supported endpoint service'],
    ["a sampling rate above 1", withProduction({ tracing: { samplingRules: [{ name: "x", priority: 1, reservoirSize: 1, fixedRate: 1.5 }] } }), "production.tracing.samplingRules[0].fixedRate: 1.5 is not a share between 0 and 1"],
    ["an http issuer", auth0({ issuer: "http://aivo.us.auth0.com/" }), 'production.auth0.issuer: "http://aivo.us.auth0.com/" is not an https:// URL'],
    ["an issuer of another domain", auth0({ issuer: "https://evil.example.com/" }), 'production.auth0.issuer: "https://evil.example.com/" does not match the domain; Auth0 issues tokens as "https://aivo.us.auth0.com/"'],
    ["an http JWKS URI", auth0({ jwksUri: "http://aivo.us.auth0.com/.well-known/jwks.json" }), "production.auth0.jwksUri: \"http://aivo.us.auth0.com/.well-known/jwks.json\" is not an https:// URL"],
    ["a JWKS URI off the domain", auth0({ jwksUri: "https://keys.example.com/jwks.json" }), "production.auth0.jwksUri: \"https://keys.example.com/jwks.json\" is not on the domain aivo.us.auth0.com"],
    ["a domain with a scheme", auth0({ domain: "https://aivo.us.auth0.com" }), 'production.auth0.domain: "https://aivo.us.auth0.com" is not a host name'],
    ["an http audience", auth0({ audience: "http://api.aivo.edu" }), 'production.auth0.audience: "http://api.aivo.edu" must be the API identifier; when it is a URL it must be https://'],
    ["HS256", auth0({ algorithms: ["RS256", "HS256"] }), "production.auth0.algorithms: [RS256, HS256] is not allowed; use RS256 only"],
    ["a clock skew above 300 s", auth0({ clockSkewSeconds: 301 }), "production.auth0.clockSkewSeconds: 301 is outside 0-300 seconds"],
    ["an http Vault", withProduction({ vault: { ...vault, address: "http://vault.aivo.edu:8200" } }), 'production.vault.address: "http://vault.aivo.edu:8200" is not an https:// URL of the Vault API'],
    ["a Vault role without policies", withProduction({ vault: { ...vault, policies: [] } }), "production.vault.policies: none; list the policies the role grants"],
    ["Vault's root policy", withProduction({ vault: { ...vault, policies: ["root"] } }), 'production.vault.policies[0]: "root" gives unlimited access; grant a scoped policy'],
    ["a Vault mount with slashes around", withProduction({ vault: { ...vault, kvMount: "/secret/" } }), 'production.vault.kvMount: "/secret/" is not a Vault mount path'],
    ["a private customer gateway IP", vpn({ ipAddress: "10.9.9.9" }), 'production.siteToSiteVpn.customers[0].ipAddress: "10.9.9.9" is not a public IPv4 address'],
    ["a customer ASN equal to Amazon's", vpn({ bgpAsn: 64512 }), "production.siteToSiteVpn.customers[0].bgpAsn: 64512 must be 1-4294967294 and differ from the Amazon side's 64512"],
    ["a customer network overlapping the VPC", vpn({ routedCidrs: ["10.0.128.0/20"] }), "production.siteToSiteVpn.customers[0].routedCidrs[0]: 10.0.128.0/20 overlaps the VPC 10.0.0.0/16"],
    ["a customer without networks", vpn({ routedCidrs: [] }), "production.siteToSiteVpn.customers[0].routedCidrs: none; list the customer networks to route"],
    ["a VPN without customers", withProduction({ siteToSiteVpn: { enabled: true, customers: [] } }), "production.siteToSiteVpn.customers: none; add a customer or turn the VPN off"],
    ["a Tailscale route outside the VPC", withProduction({ tailscale: { ...tailscale, advertiseRoutes: ["10.0.1.0/24", "0.0.0.0/0"] } }), "production.tailscale.advertiseRoutes[1]: 0.0.0.0/0 is outside the VPC (10.0.0.0/16); only VPC ranges may be advertised"],
    ["a Tailscale secret name with spaces", withProduction({ tailscale: { ...tailscale, authKeySecretName: "my key" } }), 'production.tailscale.authKeySecretName: "my key" is not a Secrets Manager secret name'],
  ] as [string, EnvironmentConfig[], string][])("rejects %s", (_what, configs, message) => {
    let error: unknown;
    try {
      validateEnvironments(configs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
