// Route 53: the private hosted zone attached to the VPC, and the alias records of every served name.
// The public zone is the account stack's (modules/aws/network/dns-zones, already delegated).
import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Naming } from "../../../shared/naming";

/** The VPC-only private hosted zone `zoneName` (id `private-zone`). */
export function createPrivateZone(scope: Construct, naming: Naming, zoneName: string, vpcId: string): Route53Zone {
  return new Route53Zone(scope, "private-zone", {
    name: zoneName,
    comment: `Internal names of ${naming.prefix}, resolvable only inside its VPC`,
    vpc: [{ vpcId }],
  });
}

/** Alias records (A and AAAA) for every served name, keyed by name: `alias-apex-a`, `alias-<subdomain>-aaaa` … */
export function createAliasRecords(scope: Construct, domain: string, aliases: readonly string[], publicZoneId: string, distribution: CloudfrontDistribution): void {
  for (const name of aliases) {
    const key = name === domain ? "apex" : name.slice(0, -(domain.length + 1)).replace(/\./g, "-");
    for (const type of ["A", "AAAA"]) {
      new Route53Record(scope, `alias-${key}-${type.toLowerCase()}`, {
        zoneId: publicZoneId,
        name,
        type,
        alias: {
          name: distribution.domainName,
          zoneId: distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}
