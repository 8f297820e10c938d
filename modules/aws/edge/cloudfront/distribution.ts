// The distribution: the cache, origin-request and response-headers policies its behaviours use, and
// the distribution itself — HTTPS only, the WAF attached, three behaviours (`/api/*`, `/static/*`,
// everything else like the API).
import { Construct } from "constructs";
import { CloudfrontCachePolicy } from "@cdktf/provider-aws/lib/cloudfront-cache-policy";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/cloudfront-origin-request-policy";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { Naming } from "../../../shared/naming";
import { distributionOrigins } from "./origins";
import { ALB_ORIGIN_ID, API_PATH_PATTERN, EdgeDistributionProps, STATIC_PATH_PATTERN, VIEWER_MINIMUM_PROTOCOL } from "./settings";
import { ResolvedEdgeSettings } from "./validate";

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];

/** The behaviours' policies: the API's no-cache policy, forwarding to the origin, the static assets' cache, the security headers. */
export function createPolicies(scope: Construct, naming: Naming, settings: ResolvedEdgeSettings) {
  // Policies: the API is never cached but keyed (and so forwarded) by Authorization.
  const noCache = new CloudfrontCachePolicy(scope, "no-cache-policy", {
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
  const forwardViewer = new CloudfrontOriginRequestPolicy(scope, "forward-viewer-policy", {
    name: naming.name("edge", "all-viewer-except-host"),
    comment: "Forward every viewer header except Host (the ALB is addressed by its origin name), all cookies and query strings",
    headersConfig: { headerBehavior: "allExcept", headers: { items: ["host"] } },
    cookiesConfig: { cookieBehavior: "all" },
    queryStringsConfig: { queryStringBehavior: "all" },
  });
  const staticCache = new CloudfrontCachePolicy(scope, "static-cache-policy", {
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
  const securityHeaders = new CloudfrontResponseHeadersPolicy(scope, "security-headers-policy", {
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
  return { noCache, forwardViewer, staticCache, securityHeaders };
}

/** What the distribution is built from besides the props: the resolved settings, the served names, the certificate, the policies and the static assets' OAC. */
export interface DistributionInputs {
  readonly settings: ResolvedEdgeSettings;
  /** Every name the distribution serves, `domain` first. */
  readonly aliases: readonly string[];
  /** The validated us-east-1 certificate. */
  readonly certificateArn: string;
  readonly policies: ReturnType<typeof createPolicies>;
  readonly staticOac: CloudfrontOriginAccessControl | undefined;
}

/** The CloudFront distribution (id `distribution`), created in `scope`. */
export function createDistribution(scope: Construct, props: EdgeDistributionProps, inputs: DistributionInputs): CloudfrontDistribution {
  const { settings, aliases, certificateArn, staticOac } = inputs;
  const { noCache, forwardViewer, staticCache, securityHeaders } = inputs.policies;
  const naming = props.naming;
  const origins = distributionOrigins(props, staticOac);
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
  return new CloudfrontDistribution(scope, "distribution", {
    enabled: true,
    comment: `${naming.prefix} edge: ${aliases.join(", ")}`,
    aliases: [...aliases],
    priceClass: settings.priceClass,
    httpVersion: "http2and3",
    isIpv6Enabled: true,
    webAclId: props.webAclArn,
    origin: origins.origin,
    ...(origins.originGroup.length > 0 ? { originGroup: origins.originGroup } : {}),
    defaultCacheBehavior: dynamicBehavior,
    orderedCacheBehavior: [
      { ...dynamicBehavior, pathPattern: API_PATH_PATTERN },
      {
        pathPattern: STATIC_PATH_PATTERN,
        targetOriginId: origins.staticTargetOriginId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: READ_METHODS,
        cachedMethods: CACHED_METHODS,
        compress: true,
        cachePolicyId: staticCache.id,
        responseHeadersPolicyId: securityHeaders.id,
      },
    ],
    viewerCertificate: {
      acmCertificateArn: certificateArn,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: VIEWER_MINIMUM_PROTOCOL,
    },
    // Geographic blocking is the WAF's geo rule (logged, metered); CloudFront's own list stays off.
    restrictions: { geoRestriction: { restrictionType: "none" } },
  });
}
