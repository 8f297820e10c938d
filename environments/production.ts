import { defineEnvironment } from "./tiers";
import { PLATFORM_TEAM_EMAIL } from "./types";

/** Production: full scale in us-east-1, disaster recovery in us-west-2 (tier defaults: environments/tiers.ts). */
export const production = defineEnvironment(
  {
    name: "production",
    tier: "production",
    region: "us-east-1",
    network: {
      vpcCidr: "10.0.0.0/16",
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      privateSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
      publicSubnets: ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"],
      databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.0.203.0/24"],
      natGateways: "one-per-az",
      // Pods get their addresses from 100.66.0.0/16 (VPC CNI custom networking), not from the /24
      // node subnets: 3 × 16,379 addresses (validation checks the node maximums fit).
      podNetwork: { cidr: "100.66.0.0/16", subnets: ["100.66.0.0/18", "100.66.64.0/18", "100.66.128.0/18"] },
    },
    domain: "aivo.edu",
    monthlyBudgetUsd: 5000,
    people: { alertEmails: [PLATFORM_TEAM_EMAIL], acmeEmail: PLATFORM_TEAM_EMAIL },
    auth0Tenant: "aivo.us.auth0.com",
    // The pilot light in us-west-2 (stack production-dr); docs/disaster-recovery.md.
    drNetwork: {
      vpcCidr: "10.100.0.0/16",
      availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
      privateSubnets: ["10.100.1.0/24", "10.100.2.0/24", "10.100.3.0/24"],
      publicSubnets: ["10.100.101.0/24", "10.100.102.0/24", "10.100.103.0/24"],
      databaseSubnets: ["10.100.201.0/24", "10.100.202.0/24", "10.100.203.0/24"],
      natGateways: "one-per-az",
    },
  },
  {
    // The apex domain also answers as www.aivo.edu.
    edge: { additionalSubdomains: ["www"] },
    // The estimate (npm run cost) is over the budget: accepted up to this ceiling until the team decides (docs/cost.md, "Knobs").
    cost: {
      overBudget: {
        upToUsd: 7000,
        reason:
          "EFS provisioned throughput (128 MiB/s), Multi-AZ data stores, MSK, three m6i.xlarge general nodes and the DR pilot light exceed the $5,000 alert threshold; the knobs in docs/cost.md are the team call (issue 26)",
      },
    },
  },
);
