import { TerraformIterator, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { CloudfrontCachePolicy } from "@cdktf/provider-aws/lib/cloudfront-cache-policy";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/cloudfront-origin-request-policy";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CLOUDFRONT_REGION } from "../../../shared/aws-context";
import { Naming } from "../../../shared/naming";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { VendedLogGroup } from "../../observability/vended-log-group";

/** The environment config section this module reads: `<env>.edge`. */
export const EDGE_SECTION = "edge";

/** The CloudFront price classes: edge locations in NA+EU / + Asia, Middle East, Africa / everywhere. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** The path pattern of the platform API: never cached, Authorization forwarded. */
export const API_PATH_PATTERN = "/api/*";
/** The path pattern of fingerprinted static assets: cached at the edge. */
export const STATIC_PATH_PATTERN = "/static/*";
/**
 * The origin path Route 53 checks by default: the readiness path of the platform's services
 * (environments/services). The services stack routes it, Exact, to the first public service whose
 * readiness path it is, so a 200 means the ALB is reachable and a ready pod is behind it.
 */
export const DEFAULT_ORIGIN_HEALTH_CHECK_PATH = "/healthz/ready";
/** The CloudFront origin id of the platform's public ALB. */
export const ALB_ORIGIN_ID = "platform-alb";
/** The CloudFront origin id of the DR region's ALB (with `failoverOriginDomain`). */
export const FAILOVER_ORIGIN_ID = "platform-alb-failover";
/** The origin group (primary ALB, then the DR ALB) that read-only behaviors target (with `failoverOriginDomain`). */
export const ORIGIN_GROUP_ID = "platform-alb-group";
/** Status codes from the primary origin on which CloudFront retries the request on the failover origin. */
export const ORIGIN_FAILOVER_STATUS_CODES: readonly number[] = [500, 502, 503, 504];
/** The CloudFront origin id of the static-assets S3 bucket (when `staticAssets` is given). */
export const STATIC_ASSETS_ORIGIN_ID = "static-assets-s3";
/** The origin id of the static assets' DR replica (when `staticAssets.replicaBucketRegionalDomainName` is given). */
export const STATIC_ASSETS_REPLICA_ORIGIN_ID = "static-assets-s3-dr";
/** The origin group `/static/*` targets with a replica: the primary bucket, then the replica. */
export const STATIC_ASSETS_ORIGIN_GROUP_ID = "static-assets-group";

/** Viewer TLS floor: TLS 1.2 with the 2021 cipher set. */
export const VIEWER_MINIMUM_PROTOCOL = "TLSv1.2_2021";
/** The only TLS protocol CloudFront may use towards the origin. */
export const ORIGIN_SSL_PROTOCOLS: readonly string[] = ["TLSv1.2"];
/** One year, the least HSTS max-age the browsers' preload lists accept. */
export const HSTS_MINIMUM_MAX_AGE_SECONDS = 31_536_000;

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];

/** Per-environment edge tunables (`<env>.edge`). */
export interface EdgeSettings {
  /**
   * The environment's public DNS name, e.g. `dev.aivo.edu`, `aivo.edu`. Its public Route 53 zone is
   * owned by the account stack (modules/aws/network/dns-zones, delegated from the apex) and passed in as `publicZoneId`.
   */
  readonly domain: string;
  /** The public ALB's DNS name CloudFront connects to over HTTPS, e.g. `origin.dev.aivo.edu` (its record is managed with the ALB). */
  readonly originDomain: string;
  /** CloudFront price class. @default "PriceClass_100" */
  readonly priceClass?: PriceClass;
  /** Further names under `domain` the distribution answers to, e.g. `["www"]` → `www.aivo.edu`. @default [] */
  readonly additionalSubdomains?: readonly string[];
  /** The origin path Route 53 health-checks over HTTPS: a public service's readiness path. @default DEFAULT_ORIGIN_HEALTH_CHECK_PATH */
  readonly healthCheckPath?: string;
  /** Seconds between health checks: 10 or 30. @default 30 */
  readonly healthCheckIntervalSeconds?: number;
  /** Consecutive failures before the origin counts as unhealthy (1-10). @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /** The private hosted zone for internal names, attached to the VPC. @default `internal.<domain>` */
  readonly privateZoneName?: string;
  /** HSTS max-age in seconds, at least one year. @default 63072000 (two years) */
  readonly hstsMaxAgeSeconds?: number;
  /** Default TTL (s) of `/static/*` when the origin sends no Cache-Control. @default 86400 */
  readonly staticDefaultTtlSeconds?: number;
  /** Longest TTL (s) of `/static/*`, whatever the origin says. @default 31536000 */
  readonly staticMaxTtlSeconds?: number;
}

export interface EdgeDistributionProps extends EdgeSettings {
  readonly naming: Naming;
  /** An AWS provider alias in us-east-1: the ACM certificate, the access-log delivery, its log group and key. */
  readonly usEast1Provider: TerraformProvider;
  /**
   * Further names the origin certificate covers (the region's own origin name, e.g.
   * `origin-us-east-1.aivo.edu`, with DR: modules/aws/edge/origin-names). @default none
   */
  readonly originAlternativeNames?: readonly string[];
  /** The ARN of the CLOUDFRONT-scoped WAFv2 web ACL to attach. */
  readonly webAclArn: string;
  /** The VPC the private hosted zone is attached to. */
  readonly vpcId: string;
  /**
   * The public hosted zone of `domain`, created and delegated by the account stack before this stack
   * (look it up by name with `data.aws_route53_zone`): certificate validation and alias records go there.
   */
  readonly publicZoneId: string;
  /** Days CloudWatch keeps the CloudFront access logs (a value CloudWatch accepts). */
  readonly logRetentionDays: number;
  /**
   * The DR region's ALB name, e.g. `origin-us-west-2.aivo.edu`: adds it as a second origin and an origin
   * group (primary first) failing over on `ORIGIN_FAILOVER_STATUS_CODES` and connection errors. CloudFront
   * accepts origin groups only on behaviors that allow GET/HEAD/OPTIONS, so the read-only behaviors
   * (`/static/*`) use the group; the others keep `originDomain`, whose Route 53 failover record moves
   * them. With `staticAssets`, S3 serves `/static/*`, no behavior could use the group, and none is
   * created: the failover record alone moves traffic. @default no failover origin
   */
  readonly failoverOriginDomain?: string;
  /**
   * The S3 bucket serving `/static/*` through Origin Access Control (SigV4-signed requests); the bucket
   * and key policies must let this distribution read (`PlatformBuckets.allowCloudFrontDistribution`).
   * With `replicaBucketRegionalDomainName` (the bucket's DR-region replica, same OAC), `/static/*`
   * targets an origin group — the bucket, then the replica — failing over on
   * `ORIGIN_FAILOVER_STATUS_CODES` and connection errors (a GET/HEAD-only behaviour, as origin groups need).
   * @default none: `/static/*` is served by the ALB
   */
  readonly staticAssets?: { readonly bucketRegionalDomainName: string; readonly replicaBucketRegionalDomainName?: string };
  /**
   * SNS topics (in us-east-1) the outage alarms notify: the origin health check failing and CloudFront
   * serving mostly 5xx. Both metrics exist only in us-east-1, so the alarms live there (through
   * `usEast1Provider`) and can notify only us-east-1 topics. Pass the paging (`critical`) topic.
   * @default no alarms
   */
  readonly outageAlarmTopicArns?: readonly string[];
  /** Share of requests answered 5xx, in percent, above which CloudFront counts as down. @default 25 */
  readonly error5xxRateAlarmPercent?: number;
}

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
    const settings = {
      priceClass: props.priceClass ?? "PriceClass_100",
      subdomains: props.additionalSubdomains ?? [],
      healthCheckPath: props.healthCheckPath ?? DEFAULT_ORIGIN_HEALTH_CHECK_PATH,
      healthCheckInterval: props.healthCheckIntervalSeconds ?? 30,
      healthCheckFailureThreshold: props.healthCheckFailureThreshold ?? 3,
      privateZoneName: props.privateZoneName ?? `internal.${props.domain}`,
      hstsMaxAge: props.hstsMaxAgeSeconds ?? 63_072_000,
      staticDefaultTtl: props.staticDefaultTtlSeconds ?? 86_400,
      staticMaxTtl: props.staticMaxTtlSeconds ?? 31_536_000,
      error5xxRate: props.error5xxRateAlarmPercent ?? 25,
    };
    validate(path, props, settings);

    const naming = props.naming;
    const usEast1 = props.usEast1Provider;
    this.aliases = [props.domain, ...settings.subdomains.map((s) => `${s}.${props.domain}`)];

    // DNS: the public zone is the account stack's (already delegated); the VPC-only private zone is ours.
    this.publicZoneId = props.publicZoneId;
    this.privateZone = new Route53Zone(this, "private-zone", {
      name: settings.privateZoneName,
      comment: `Internal names of ${naming.prefix}, resolvable only inside its VPC`,
      vpc: [{ vpcId: props.vpcId }],
    });

    // Certificate in us-east-1, validated by one CNAME per name, keyed by domain name.
    const certificate = new AcmCertificate(this, "certificate", {
      provider: usEast1,
      domainName: props.domain,
      subjectAlternativeNames: this.aliases.slice(1),
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      lifecycle: { createBeforeDestroy: true },
    });
    const validationOptions = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    const validationRecords = new Route53Record(this, "certificate-validation-record", {
      forEach: validationOptions,
      zoneId: props.publicZoneId,
      name: validationOptions.getString("resource_record_name"),
      type: validationOptions.getString("resource_record_type"),
      records: [validationOptions.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "certificate-validation", {
      provider: usEast1,
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty("fqdn")),
    });
    this.certificateArn = validation.certificateArn;

    // The origin's certificate, in the environment's region for the ALB; one validation CNAME.
    const originCertificate = new AcmCertificate(this, "origin-certificate", {
      domainName: props.originDomain,
      ...(props.originAlternativeNames?.length ? { subjectAlternativeNames: [...props.originAlternativeNames] } : {}),
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      lifecycle: { createBeforeDestroy: true },
    });
    const originValidationOptions = TerraformIterator.fromComplexList(originCertificate.domainValidationOptions, "domain_name");
    const originValidationRecords = new Route53Record(this, "origin-certificate-validation-record", {
      forEach: originValidationOptions,
      zoneId: this.publicZoneId,
      name: originValidationOptions.getString("resource_record_name"),
      type: originValidationOptions.getString("resource_record_type"),
      records: [originValidationOptions.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const originValidation = new AcmCertificateValidation(this, "origin-certificate-validation", {
      certificateArn: originCertificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(originValidationRecords).pluckProperty("fqdn")),
    });
    this.originCertificateArn = originValidation.certificateArn;

    // Policies: the API is never cached but keyed (and so forwarded) by Authorization.
    const noCache = new CloudfrontCachePolicy(this, "no-cache-policy", {
      name: naming.name("edge", "no-cache"),
      comment: "API and pages: not cached unless the origin opts in for <=1s; Authorization, cookies and query strings in the key",
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: 1,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    });
    const forwardViewer = new CloudfrontOriginRequestPolicy(this, "forward-viewer-policy", {
      name: naming.name("edge", "all-viewer-except-host"),
      comment: "Forward every viewer header except Host (the ALB is addressed by its origin name), all cookies and query strings",
      headersConfig: { headerBehavior: "allExcept", headers: { items: ["host"] } },
      cookiesConfig: { cookieBehavior: "all" },
      queryStringsConfig: { queryStringBehavior: "all" },
    });
    const staticCache = new CloudfrontCachePolicy(this, "static-cache-policy", {
      name: naming.name("edge", "static-assets"),
      comment: "Fingerprinted static assets: cached, nothing but the path in the key",
      minTtl: 0,
      defaultTtl: settings.staticDefaultTtl,
      maxTtl: settings.staticMaxTtl,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "none" },
        cookiesConfig: { cookieBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    });
    const securityHeaders = new CloudfrontResponseHeadersPolicy(this, "security-headers-policy", {
      name: naming.name("edge", "security-headers"),
      comment: "HSTS (preload), nosniff, DENY framing, strict referrer, XSS protection",
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: settings.hstsMaxAge,
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // Static assets from S3 through Origin Access Control, when a bucket is given.
    // CloudFront fails over only read-only behaviors; `/static/*` is the one that targets the ALB, so the
    // origin group exists only while S3 does not serve it. Otherwise the Route 53 failover record of
    // originDomain moves every behavior to the DR region.
    const originGroup = props.failoverOriginDomain !== undefined && props.staticAssets === undefined;
    const staticReplica = props.staticAssets?.replicaBucketRegionalDomainName;
    const staticOac = props.staticAssets
      ? new CloudfrontOriginAccessControl(this, "static-assets-oac", {
          name: naming.name("edge", "static-assets"),
          description: `SigV4 signing for the static-assets bucket of ${naming.prefix}`,
          originAccessControlOriginType: "s3",
          signingBehavior: "always",
          signingProtocol: "sigv4",
        })
      : undefined;
    this.staticAssetsOriginAccessControlId = staticOac?.id;

    const dynamicBehavior = {
      targetOriginId: ALB_ORIGIN_ID,
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ALL_METHODS,
      cachedMethods: CACHED_METHODS,
      compress: true,
      cachePolicyId: noCache.id,
      originRequestPolicyId: forwardViewer.id,
      responseHeadersPolicyId: securityHeaders.id,
    };
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${naming.prefix} edge: ${this.aliases.join(", ")}`,
      aliases: [...this.aliases],
      priceClass: settings.priceClass,
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      webAclId: props.webAclArn,
      origin: [
        albOrigin(ALB_ORIGIN_ID, props.originDomain),
        ...(originGroup ? [albOrigin(FAILOVER_ORIGIN_ID, props.failoverOriginDomain!)] : []),
        ...(props.staticAssets && staticOac
          ? [
              s3Origin(STATIC_ASSETS_ORIGIN_ID, props.staticAssets.bucketRegionalDomainName, staticOac.id),
              ...(staticReplica ? [s3Origin(STATIC_ASSETS_REPLICA_ORIGIN_ID, staticReplica, staticOac.id)] : []),
            ]
          : []),
      ],
      ...(originGroup || staticReplica
        ? {
            originGroup: [
              ...(originGroup ? [failoverGroup(ORIGIN_GROUP_ID, ALB_ORIGIN_ID, FAILOVER_ORIGIN_ID)] : []),
              ...(staticReplica ? [failoverGroup(STATIC_ASSETS_ORIGIN_GROUP_ID, STATIC_ASSETS_ORIGIN_ID, STATIC_ASSETS_REPLICA_ORIGIN_ID)] : []),
            ],
          }
        : {}),
      defaultCacheBehavior: dynamicBehavior,
      orderedCacheBehavior: [
        { ...dynamicBehavior, pathPattern: API_PATH_PATTERN },
        {
          pathPattern: STATIC_PATH_PATTERN,
          targetOriginId: staticReplica ? STATIC_ASSETS_ORIGIN_GROUP_ID : props.staticAssets ? STATIC_ASSETS_ORIGIN_ID : originGroup ? ORIGIN_GROUP_ID : ALB_ORIGIN_ID,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: READ_METHODS,
          cachedMethods: CACHED_METHODS,
          compress: true,
          cachePolicyId: staticCache.id,
          responseHeadersPolicyId: securityHeaders.id,
        },
      ],
      viewerCertificate: {
        acmCertificateArn: validation.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: VIEWER_MINIMUM_PROTOCOL,
      },
      // Geographic blocking is the WAF's geo rule (logged, metered); CloudFront's own list stays off.
      restrictions: { geoRestriction: { restrictionType: "none" } },
    });
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.distributionDomainName = this.distribution.domainName;

    // Access logs: CloudFront standard logging v2, delivered (from us-east-1) into CloudWatch Logs.
    this.accessLogs = new VendedLogGroup(this, "access-logs", {
      naming,
      provider: usEast1,
      logGroupName: naming.path("edge", "cloudfront-access-logs"),
      keyPurpose: "cloudfront-access-logs",
      description: `the CloudFront access logs of ${naming.prefix}`,
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${path}.logRetentionDays`,
    });
    const source = new CloudwatchLogDeliverySource(this, "access-log-source", {
      provider: usEast1,
      name: naming.name("edge", "cloudfront"),
      logType: "ACCESS_LOGS",
      resourceArn: this.distribution.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, "access-log-destination", {
      provider: usEast1,
      name: naming.name("edge", "cloudfront-logs"),
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.accessLogs.logGroupArn }],
    });
    new CloudwatchLogDelivery(this, "access-log-delivery", {
      provider: usEast1,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      dependsOn: [this.accessLogs.resourcePolicy],
    });

    // Alias records (A and AAAA) for every served name, keyed by name.
    for (const name of this.aliases) {
      const key = name === props.domain ? "apex" : name.slice(0, -(props.domain.length + 1)).replace(/\./g, "-");
      for (const type of ["A", "AAAA"]) {
        new Route53Record(this, `alias-${key}-${type.toLowerCase()}`, {
          zoneId: props.publicZoneId,
          name,
          type,
          alias: {
            name: this.distribution.domainName,
            zoneId: this.distribution.hostedZoneId,
            evaluateTargetHealth: false,
          },
        });
      }
    }

    // The origin's health, as Route 53 sees it from its checker regions.
    const healthCheck = new Route53HealthCheck(this, "origin-health-check", {
      type: "HTTPS",
      fqdn: props.originDomain,
      port: 443,
      resourcePath: settings.healthCheckPath,
      requestInterval: settings.healthCheckInterval,
      failureThreshold: settings.healthCheckFailureThreshold,
      enableSni: true,
      tags: { Name: naming.name("edge", "origin") },
    });

    // Outages page: the origin failing its health check, or CloudFront answering mostly 5xx. Route 53
    // health-check and CloudFront metrics are published only in us-east-1.
    const topics = [...(props.outageAlarmTopicArns ?? [])];
    const alarm = (id: string, spec: { name: string; description: string; namespace: string; metric: string; dimensions: Record<string, string>; comparison: string; threshold: number; statistic: string; periods: number; missing: string }) =>
      new CloudwatchMetricAlarm(this, id, {
        provider: usEast1,
        alarmName: spec.name,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metric,
        dimensions: spec.dimensions,
        comparisonOperator: spec.comparison,
        threshold: spec.threshold,
        statistic: spec.statistic,
        period: 60,
        evaluationPeriods: spec.periods,
        treatMissingData: spec.missing,
        alarmActions: topics,
        okActions: topics,
      });
    this.alarms =
      topics.length === 0
        ? []
        : [
            alarm("origin-unhealthy-alarm", {
              name: naming.name("edge", "origin-unhealthy"),
              description: `${props.originDomain}${settings.healthCheckPath} fails the Route 53 health check for 2 minutes`,
              namespace: "AWS/Route53",
              metric: "HealthCheckStatus",
              dimensions: { HealthCheckId: healthCheck.id },
              comparison: "LessThanThreshold",
              threshold: 1,
              statistic: "Minimum",
              periods: 2,
              // No data from a health check means it is gone: count it as failing.
              missing: "breaching",
            }),
            alarm("error-rate-alarm", {
              name: naming.name("edge", "5xx-rate"),
              description: `CloudFront answers more than ${settings.error5xxRate}% of requests with 5xx for 5 minutes`,
              namespace: "AWS/CloudFront",
              metric: "5xxErrorRate",
              dimensions: { DistributionId: this.distribution.id, Region: "Global" },
              comparison: "GreaterThanThreshold",
              threshold: settings.error5xxRate,
              statistic: "Average",
              periods: 5,
              // A distribution without traffic publishes no 5xx rate: that is not an outage.
              missing: "notBreaching",
            }),
          ];

    this.privateZoneId = this.privateZone.zoneId;
    this.privateZoneName = settings.privateZoneName;
    this.healthCheckId = healthCheck.id;
  }
}

/** One HTTPS-only custom origin (an ALB by its DNS name). */
function albOrigin(originId: string, domainName: string) {
  return {
    originId,
    domainName,
    connectionAttempts: 3,
    connectionTimeout: 10,
    customOriginConfig: {
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: "https-only",
      originSslProtocols: [...ORIGIN_SSL_PROTOCOLS],
      originReadTimeout: 30,
      originKeepaliveTimeout: 5,
    },
  };
}

/** One S3 origin read through Origin Access Control (no s3_origin_config: the provider sends an empty origin access identity itself). */
function s3Origin(originId: string, domainName: string, originAccessControlId: string) {
  return { originId, domainName, originAccessControlId, connectionAttempts: 3, connectionTimeout: 10 };
}

/** An origin group: `primary`, then `secondary` on `ORIGIN_FAILOVER_STATUS_CODES` and connection errors. */
function failoverGroup(originId: string, primary: string, secondary: string) {
  return {
    originId,
    failoverCriteria: { statusCodes: [...ORIGIN_FAILOVER_STATUS_CODES] },
    member: [{ originId: primary }, { originId: secondary }],
  };
}

/** True for a lower-case DNS name of at least two labels with an alphabetic TLD (no trailing dot, no wildcard). */
export function isDomainName(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split(".");
  return (
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) &&
    /^[a-z]{2,63}$/.test(labels[labels.length - 1])
  );
}

function validate(
  path: string,
  props: EdgeDistributionProps,
  s: {
    priceClass: string;
    subdomains: readonly string[];
    healthCheckPath: string;
    healthCheckInterval: number;
    healthCheckFailureThreshold: number;
    privateZoneName: string;
    hstsMaxAge: number;
    staticDefaultTtl: number;
    staticMaxTtl: number;
    error5xxRate: number;
  },
): void {
  const domainRule = 'use a lower-case DNS name such as "dev.aivo.edu" (letters, digits, "-" between dots, no trailing dot)';
  if (!isDomainName(props.domain)) {
    throw new Error(`${path}.domain: "${props.domain}" is not a valid domain name; ${domainRule}`);
  }
  if (!isDomainName(props.originDomain)) {
    throw new Error(`${path}.originDomain: "${props.originDomain}" is not a valid domain name; ${domainRule}`);
  }
  s.subdomains.forEach((sub, i) => {
    if (!isDomainName(`${sub}.${props.domain}`) || sub.length === 0) {
      throw new Error(
        `${path}.additionalSubdomains[${i}]: "${sub}" is not a valid subdomain label; use lower-case letters, digits and "-" such as "www"`,
      );
    }
    if (s.subdomains.indexOf(sub) !== i) {
      throw new Error(`${path}.additionalSubdomains[${i}]: "${sub}" is listed twice; list each subdomain once`);
    }
  });
  const served = [props.domain, ...s.subdomains.map((sub) => `${sub}.${props.domain}`)];
  if (served.includes(props.originDomain)) {
    throw new Error(
      `${path}.originDomain: "${props.originDomain}" is also a name the distribution serves, so CloudFront would loop to itself; point it at the ALB's own name such as "origin.${props.domain}"`,
    );
  }
  if (props.failoverOriginDomain !== undefined) {
    if (!isDomainName(props.failoverOriginDomain)) {
      throw new Error(`${path}.failoverOriginDomain: "${props.failoverOriginDomain}" is not a valid domain name; ${domainRule}`);
    }
    if (props.failoverOriginDomain === props.originDomain || served.includes(props.failoverOriginDomain)) {
      throw new Error(
        `${path}.failoverOriginDomain: "${props.failoverOriginDomain}" must differ from originDomain and from the names the distribution serves; use the DR ALB's own name such as "origin-us-west-2.${props.domain}"`,
      );
    }
  }
  if (!props.originDomain.endsWith(`.${props.domain}`)) {
    throw new Error(
      `${path}.originDomain: "${props.originDomain}" is not under ${props.domain}; the ALB's certificate is validated in the ${props.domain} zone, use e.g. "origin.${props.domain}"`,
    );
  }
  if (!isDomainName(s.privateZoneName) || served.includes(s.privateZoneName)) {
    throw new Error(
      `${path}.privateZoneName: "${s.privateZoneName}" must be a valid domain name distinct from the public names; use e.g. "internal.${props.domain}"`,
    );
  }
  if (!(PRICE_CLASSES as readonly string[]).includes(s.priceClass)) {
    throw new Error(`${path}.priceClass: "${s.priceClass}" is not a CloudFront price class; use one of ${PRICE_CLASSES.join(", ")}`);
  }
  if (!/^\/[\x21-\x7e]{0,254}$/.test(s.healthCheckPath)) {
    throw new Error(
      `${path}.healthCheckPath: "${s.healthCheckPath}" is not a health-check path; start with "/" and use at most 255 printable characters without spaces`,
    );
  }
  if (s.healthCheckInterval !== 10 && s.healthCheckInterval !== 30) {
    throw new Error(`${path}.healthCheckIntervalSeconds: ${s.healthCheckInterval} is not a Route 53 interval; use 10 or 30`);
  }
  if (!Number.isInteger(s.healthCheckFailureThreshold) || s.healthCheckFailureThreshold < 1 || s.healthCheckFailureThreshold > 10) {
    throw new Error(`${path}.healthCheckFailureThreshold: ${s.healthCheckFailureThreshold} is outside 1-10, the range Route 53 accepts`);
  }
  if (!Number.isInteger(s.hstsMaxAge) || s.hstsMaxAge < HSTS_MINIMUM_MAX_AGE_SECONDS) {
    throw new Error(
      `${path}.hstsMaxAgeSeconds: ${s.hstsMaxAge} is below ${HSTS_MINIMUM_MAX_AGE_SECONDS} (one year), the least HSTS preload accepts`,
    );
  }
  if (!Number.isInteger(s.staticDefaultTtl) || s.staticDefaultTtl < 0 || s.staticDefaultTtl > s.staticMaxTtl) {
    throw new Error(
      `${path}.staticDefaultTtlSeconds: ${s.staticDefaultTtl} must be a whole number between 0 and staticMaxTtlSeconds (${s.staticMaxTtl})`,
    );
  }
  if (!(s.error5xxRate > 0 && s.error5xxRate <= 100)) {
    throw new Error(`${path}.error5xxRateAlarmPercent: ${s.error5xxRate} is not a percentage; use a number above 0, at most 100`);
  }
  (props.outageAlarmTopicArns ?? []).forEach((arn, i) => {
    if (!Token.isUnresolved(arn) && !arn.includes("${") && !/^arn:aws[\w-]*:sns:us-east-1:\d{12}:[\w-]+$/.test(arn)) {
      throw new Error(
        `${path}.outageAlarmTopicArns[${i}]: "${arn}" is not an SNS topic in us-east-1; the health-check and CloudFront alarms live in us-east-1 and can notify only topics there`,
      );
    }
  });
  const literalArn = !Token.isUnresolved(props.webAclArn) && !props.webAclArn.includes("${");
  if (literalArn && !/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(props.webAclArn)) {
    throw new Error(
      `${path}.webAclArn: "${props.webAclArn}" is not a CLOUDFRONT-scoped web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/…); create the WebAcl with scope CLOUDFRONT through the us-east-1 provider`,
    );
  }
  const region = props.usEast1Provider instanceof AwsProvider ? props.usEast1Provider.region : undefined;
  if (region !== undefined && !Token.isUnresolved(region) && region !== CLOUDFRONT_REGION) {
    throw new Error(
      `${path}.usEast1Provider: the provider targets "${region}", but CloudFront certificates and log deliveries must be created in ${CLOUDFRONT_REGION}; pass the us-east-1 provider alias`,
    );
  }
  assertLogRetentionDays(`${path}.logRetentionDays`, props.logRetentionDays);
}
