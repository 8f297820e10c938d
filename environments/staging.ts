import { defineEnvironment } from "./tiers";
import { PLATFORM_TEAM_EMAIL } from "./types";

/** Staging: production's shape at medium scale, one NAT gateway per AZ (tier defaults: environments/tiers.ts). */
export const staging = defineEnvironment({
  name: "staging",
  tier: "staging",
  region: "us-east-1",
  network: {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnets: ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"],
    publicSubnets: ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"],
    databaseSubnets: ["10.20.201.0/24", "10.20.202.0/24", "10.20.203.0/24"],
    natGateways: "one-per-az",
    // Pods get their addresses from 100.65.0.0/16 (VPC CNI custom networking), not from the /24
    // node subnets: 3 × 16,379 addresses (validation checks the node maximums fit).
    podNetwork: { cidr: "100.65.0.0/16", subnets: ["100.65.0.0/18", "100.65.64.0/18", "100.65.128.0/18"] },
  },
  domain: "staging.aivo.edu",
  monthlyBudgetUsd: 1500,
  people: { alertEmails: [PLATFORM_TEAM_EMAIL], acmeEmail: PLATFORM_TEAM_EMAIL },
  auth0Tenant: "aivo-staging.us.auth0.com",
}, {
  // The estimate (npm run cost) is over the budget: accepted up to this ceiling until the team decides (docs/cost.md, "Knobs").
  cost: {
    overBudget: {
      upToUsd: 2400,
      reason:
        "production parity (MSK 3 x kafka.m7g.large, NAT and interface endpoints in every AZ, Multi-AZ RDS, general nodes on m6i.xlarge for the add-ons' pods) exceeds the $1,500 alert threshold; the knobs in docs/cost.md trade parity for cost and are the team call (issue 26)",
    },
  },
});
