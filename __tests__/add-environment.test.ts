import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { Ipv4Block, overlaps, parseIpv4Cidr } from "../modules/shared/cidr";
import { defineEnvironment } from "../environments/tiers";
import { EnvironmentSpec, PLATFORM_TEAM_EMAIL } from "../environments/types";
import { configsOf, parse } from "./helpers";

/**
 * docs/environments.md, "Adding an environment", followed at run time with an environment of its own:
 * name, CIDRs, domain and tenant chosen to collide with nothing the docs suggest (`qa`, 10.30.0.0/16,
 * 100.67.0.0/16, qa.aivo.edu) nor with any configured environment, so that a real `qa` added by the
 * docs' steps runs beside it.
 */
const spec: EnvironmentSpec = {
  name: "scratch",
  tier: "staging",
  region: "us-east-1",
  network: {
    vpcCidr: "10.250.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnets: ["10.250.1.0/24", "10.250.2.0/24", "10.250.3.0/24"],
    publicSubnets: ["10.250.101.0/24", "10.250.102.0/24", "10.250.103.0/24"],
    databaseSubnets: ["10.250.201.0/24", "10.250.202.0/24", "10.250.203.0/24"],
    natGateways: "one-per-az",
    podNetwork: { cidr: "100.126.0.0/16", subnets: ["100.126.0.0/18", "100.126.64.0/18", "100.126.128.0/18"] },
  },
  domain: "scratch.aivo.edu",
  monthlyBudgetUsd: 2000,
  people: { alertEmails: [PLATFORM_TEAM_EMAIL], acmeEmail: PLATFORM_TEAM_EMAIL },
  auth0Tenant: "aivo-scratch.us.auth0.com",
};
const added = defineEnvironment(spec);
const block = (cidr: string) => parseIpv4Cidr(cidr) as Ipv4Block;
const overlap = (a: string, b: string) => overlaps(block(a), block(b));

describe("adding an environment as docs/environments.md says", () => {
  it("uses a name, CIDRs, domain and tenant no configured environment uses", () => {
    const clashes = ENVIRONMENTS.flatMap((e) => [
      ...(e.name === spec.name ? [`${e.name}: name`] : []),
      ...[e.network.vpcCidr, ...(e.dr ? [e.dr.network.vpcCidr] : [])].filter((c) => overlap(c, spec.network.vpcCidr)).map((c) => `${e.name}: VPC ${c}`),
      ...(e.network.podNetwork && overlap(e.network.podNetwork.cidr, spec.network.podNetwork!.cidr)
        ? [`${e.name}: pod network ${e.network.podNetwork.cidr}`]
        : []),
      ...(e.edge.domain === spec.domain || e.edge.domain.endsWith(`.${spec.domain}`) ? [`${e.name}: domain ${e.edge.domain}`] : []),
      ...(e.auth0.domain === spec.auth0Tenant ? [`${e.name}: Auth0 tenant`] : []),
    ]);
    expect(clashes).toEqual([]);
  });

  const platform = buildPlatform(Testing.app(), [...ENVIRONMENTS, added]);
  const doc = parse(Testing.synth(platform.environments[spec.name]));

  it("builds its stacks after the account stack, beside the others", () => {
    expect(Object.keys(platform.environments)).toEqual([...ENVIRONMENTS.map((e) => e.name), spec.name]);
    expect(Object.keys(platform.services)).toContain(spec.name);
    expect(platform.environments[spec.name].dependencies).toContain(platform.account);
  });

  it("gives it its own state key, VPC, names, zones and Auth0 tenant", () => {
    expect(doc.terraform!.backend!.s3.key).toBe(`aivo/${spec.name}/terraform.tfstate`);
    expect(configsOf(doc, "aws_vpc")[0]).toMatchObject({ cidr_block: spec.network.vpcCidr, tags: { Name: `aivo-${spec.name}-vpc` } });
    expect(configsOf(doc, "aws_eks_cluster")[0].name).toBe(`aivo-${spec.name}-eks`);
    expect(configsOf(doc, "aws_route53_zone").map((z) => z.name)).toEqual([`internal.${spec.domain}`]);
    // The public zone is created and delegated by the account stack, which the stack looks up by name.
    expect(doc.data!.aws_route53_zone["public-zone"]).toMatchObject({ name: spec.domain, private_zone: false });
    const account = parse(Testing.synth(platform.account));
    expect(configsOf(account, "aws_route53_zone").map((z) => z.name)).toContain(spec.domain);
    expect(doc.provider!.aws[0].default_tags[0].tags.Environment).toBe(spec.name);
    expect(doc.output!.cluster_name).toBeDefined();
    expect(added.auth0).toMatchObject({ domain: spec.auth0Tenant, issuer: `https://${spec.auth0Tenant}/`, audience: `https://api.${spec.domain}` });
  });

  it("is rejected when a copied domain is left in place", () => {
    const copied = ENVIRONMENTS[0];
    expect(() => buildPlatform(Testing.app(), [...ENVIRONMENTS, defineEnvironment({ ...spec, domain: copied.edge.domain })])).toThrow(
      `${spec.name}.edge.domain: "${copied.edge.domain}" is also the edge.domain of ${copied.name}`,
    );
  });
});
