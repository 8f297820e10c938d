import { defineEnvironment } from "./tiers";
import { PLATFORM_TEAM_EMAIL } from "./types";

/** Development: minimal scale, one NAT gateway, short log retention (tier defaults: environments/tiers.ts). */
export const development = defineEnvironment(
  {
    name: "development",
    tier: "development",
    region: "us-east-1",
    network: {
      vpcCidr: "10.10.0.0/16",
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      privateSubnets: ["10.10.1.0/24", "10.10.2.0/24", "10.10.3.0/24"],
      publicSubnets: ["10.10.101.0/24", "10.10.102.0/24", "10.10.103.0/24"],
      databaseSubnets: ["10.10.201.0/24", "10.10.202.0/24", "10.10.203.0/24"],
      natGateways: "single",
      // Pods get their addresses from 100.64.0.0/16 (VPC CNI custom networking), not from the /24
      // node subnets: 3 × 16,379 addresses (validation checks the node maximums fit).
      podNetwork: { cidr: "100.64.0.0/16", subnets: ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"] },
    },
    domain: "dev.aivo.edu",
    monthlyBudgetUsd: 500,
    people: { alertEmails: [PLATFORM_TEAM_EMAIL], acmeEmail: PLATFORM_TEAM_EMAIL },
    auth0Tenant: "aivo-dev.us.auth0.com",
  },
  {
    // Cost allocation tags are activated account-wide: all environments share one account, and
    // development is deployed first, so it owns the activation. Set this to true only after the first
    // apply, once AWS has billed a tagged resource (docs/deploying.md, "After the first deploy").
    cost: {
      activateCostAllocationTags: false,
      // The estimate (npm run cost) is over the budget: accepted up to this ceiling until the team decides (docs/cost.md, "Knobs").
      overBudget: {
        upToUsd: 750,
        reason:
          "the platform's add-ons (Argo CD included) need two m6i.xlarge general nodes day and night (the capacity check: one leaves no headroom, an m6i.large holds 20 pods), $280 of the estimate; the knobs in docs/cost.md are the team call",
      },
    },
  },
);
