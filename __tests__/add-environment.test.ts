import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { configsOf, parse } from "./helpers";

/**
 * README, "Adding an environment", followed at run time: a `qa` environment cloned from staging with
 * its own name, CIDR plan and domain synthesizes beside the others.
 */
const qa: EnvironmentConfig = {
  ...staging,
  name: "qa",
  network: {
    ...staging.network,
    vpcCidr: "10.30.0.0/16",
    privateSubnets: ["10.30.1.0/24", "10.30.2.0/24", "10.30.3.0/24"],
    publicSubnets: ["10.30.101.0/24", "10.30.102.0/24", "10.30.103.0/24"],
    databaseSubnets: ["10.30.201.0/24", "10.30.202.0/24", "10.30.203.0/24"],
    podNetwork: { cidr: "100.67.0.0/16", subnets: ["100.67.0.0/18", "100.67.64.0/18", "100.67.128.0/18"] },
  },
  edge: { ...staging.edge, domain: "qa.aivo.edu", originDomain: "origin.qa.aivo.edu" },
  cost: { ...staging.cost, monthlyBudgetUsd: 2000 },
};

describe("adding a qa environment cloned from staging", () => {
  const platform = buildPlatform(Testing.app(), [...ENVIRONMENTS, qa]);
  const doc = parse(Testing.synth(platform.environments.qa));

  it("builds a qa stack after the account stack, beside the others", () => {
    expect(Object.keys(platform.environments)).toEqual([...ENVIRONMENTS.map((e) => e.name), "qa"]);
    expect(platform.environments.qa.dependencies).toContain(platform.account);
  });

  it("gives it its own state key, VPC, names and zones", () => {
    expect(doc.terraform!.backend!.s3.key).toBe("aivo/qa/terraform.tfstate");
    expect(configsOf(doc, "aws_vpc")[0]).toMatchObject({ cidr_block: "10.30.0.0/16", tags: { Name: "aivo-qa-vpc" } });
    expect(configsOf(doc, "aws_eks_cluster")[0].name).toBe("aivo-qa-eks");
    expect(configsOf(doc, "aws_route53_zone").map((z) => z.name)).toEqual(["internal.qa.aivo.edu"]);
    // The public zone is created and delegated by the account stack, which the stack looks up by name.
    expect(doc.data!.aws_route53_zone["public-zone"]).toMatchObject({ name: "qa.aivo.edu", private_zone: false });
    const account = parse(Testing.synth(platform.account));
    expect(configsOf(account, "aws_route53_zone").map((z) => z.name)).toContain("qa.aivo.edu");
    expect(doc.provider!.aws[0].default_tags[0].tags.Environment).toBe("qa");
    expect(doc.output!.cluster_name).toBeDefined();
  });

  it("is rejected when the copied staging domain is left in place", () => {
    expect(() => buildPlatform(Testing.app(), [...ENVIRONMENTS, { ...qa, edge: staging.edge }])).toThrow(
      'qa.edge.domain: "staging.aivo.edu" is also the edge.domain of staging',
    );
  });
});
