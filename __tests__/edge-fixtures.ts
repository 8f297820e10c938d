/** The web ACL, zone and per-environment edge settings shared by edge.test.ts, edge-origins.test.ts and edge-validation.test.ts. */
import { EdgeSettings } from "../modules/aws/edge/cloudfront";

export const ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/aivo-development-waf-cloudfront/0a1b2c3d-4e5f";
/** The account stack's zone of the environment's domain (looked up by name in the environment stack). */
export const ZONE_ID = "Z0123456789ABCDEFGHIJ";

/** The per-environment settings proposed for `<env>.edge` (see the report). */
export const ENVIRONMENTS: Record<string, EdgeSettings> = {
  development: { domain: "dev.aivo.edu", originDomain: "origin.dev.aivo.edu", priceClass: "PriceClass_100" },
  staging: { domain: "staging.aivo.edu", originDomain: "origin.staging.aivo.edu", priceClass: "PriceClass_100" },
  production: {
    domain: "aivo.edu",
    originDomain: "origin.aivo.edu",
    priceClass: "PriceClass_All",
    additionalSubdomains: ["www"],
    healthCheckIntervalSeconds: 10,
  },
};
