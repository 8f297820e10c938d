// The edge construct (CloudFront in front of the public ALB), in parts: settings.ts (settings, props,
// shared constants), validate.ts (defaults and rules, `isDomainName`), certificates.ts (CloudFront's
// and the origin's ACM certificates with their DNS validation), origins.ts (origin and origin-group
// builders, the static assets' Origin Access Control), distribution.ts (cache and header policies,
// behaviours, the distribution), access-logs.ts (standard logging v2), dns.ts (private zone, alias
// records), health.ts (origin health check, outage alarms). Every part creates its resources in this
// construct's scope, so their Terraform addresses don't depend on the file they are written in.
import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { VendedLogGroup } from "../../observability/vended-log-group";
import { createAccessLogs } from "./access-logs";
import { createCertificates } from "./certificates";
import { createDistribution, createPolicies } from "./distribution";
import { createAliasRecords, createPrivateZone } from "./dns";
import { createOriginHealthCheck, createOutageAlarms } from "./health";
import { createStaticAssetsOac } from "./origins";
import { EDGE_SECTION, EdgeDistributionProps } from "./settings";
import { validateEdgeProps } from "./validate";

export * from "./settings";
export { isDomainName } from "./validate";

/**
 * The platform's front door: an ACM certificate (us-east-1) validated through DNS records in the
 * environment's public zone (owned by the account stack), and a CloudFront distribution in front of the public
 * ALB — HTTPS only with TLS 1.2+ towards viewers and origin, the WAF attached, HTTP/2 and HTTP/3,
 * IPv6, three behaviours (`/api/*` never cached with Authorization forwarded, `/static/*` cached,
 * everything else like the API), security response headers (HSTS preload …) and standard access
 * logging (v2) into a KMS-encrypted CloudWatch log group. Plus alias A/AAAA records, a Route 53
 * health check on the origin and a private hosted zone attached to the VPC.
 */
export class EdgeDistribution extends Construct {
  /** The distribution (escape hatch). */
  readonly distribution: CloudfrontDistribution;
  readonly distributionId: string;
  readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`. */
  readonly distributionDomainName: string;
  /** Every name the distribution serves: `domain` first, then the additional subdomains. */
  readonly aliases: readonly string[];
  /** The public hosted zone of `domain` (the account stack's). */
  readonly publicZoneId: string;
  /** The private hosted zone attached to the VPC. */
  readonly privateZone: Route53Zone;
  readonly privateZoneId: string;
  readonly privateZoneName: string;
  /** The validated certificate's ARN (resolves once validation completes). */
  readonly certificateArn: string;
  /**
   * The regional (the stack's default provider) certificate of `originDomain`, validated: the public
   * ALB's HTTPS listener presents it to CloudFront (CloudFront's own certificate is in us-east-1).
   */
  readonly originCertificateArn: string;
  readonly healthCheckId: string;
  /** The log group receiving the CloudFront access logs. */
  readonly accessLogs: VendedLogGroup;
  /** The Origin Access Control of the static-assets origin; undefined without `staticAssets`. */
  readonly staticAssetsOriginAccessControlId?: string;
  /** The outage alarms (us-east-1), when `outageAlarmTopicArns` is given. */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const path = `${props.naming.environment}.${EDGE_SECTION}`;
    const settings = validateEdgeProps(path, props);

    const naming = props.naming;
    this.aliases = [props.domain, ...settings.subdomains.map((s) => `${s}.${props.domain}`)];

    // DNS: the public zone is the account stack's (already delegated); the VPC-only private zone is ours.
    this.publicZoneId = props.publicZoneId;
    this.privateZone = createPrivateZone(this, naming, settings.privateZoneName, props.vpcId);

    const certificates = createCertificates(this, props, this.aliases);
    this.certificateArn = certificates.certificateArn;
    this.originCertificateArn = certificates.originCertificateArn;

    const policies = createPolicies(this, naming, settings);
    const staticOac = createStaticAssetsOac(this, props);
    this.staticAssetsOriginAccessControlId = staticOac?.id;
    this.distribution = createDistribution(this, props, { settings, aliases: this.aliases, certificateArn: this.certificateArn, policies, staticOac });
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.distributionDomainName = this.distribution.domainName;

    this.accessLogs = createAccessLogs(this, props, path, this.distribution.arn);
    createAliasRecords(this, props.domain, this.aliases, props.publicZoneId, this.distribution);
    const healthCheck = createOriginHealthCheck(this, props, settings);
    this.alarms = createOutageAlarms(this, props, settings, healthCheck.id, this.distribution.id);

    this.privateZoneId = this.privateZone.zoneId;
    this.privateZoneName = settings.privateZoneName;
    this.healthCheckId = healthCheck.id;
  }
}
