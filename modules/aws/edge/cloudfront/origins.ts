// The distribution's origins: the public ALB (and, with `failoverOriginDomain`, the DR region's ALB in
// an origin group) and the static-assets bucket read through Origin Access Control (and, with a
// replica, the replica in an origin group).
import { Construct } from "constructs";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import {
  ALB_ORIGIN_ID,
  EdgeDistributionProps,
  FAILOVER_ORIGIN_ID,
  ORIGIN_FAILOVER_STATUS_CODES,
  ORIGIN_GROUP_ID,
  ORIGIN_SSL_PROTOCOLS,
  STATIC_ASSETS_ORIGIN_GROUP_ID,
  STATIC_ASSETS_ORIGIN_ID,
  STATIC_ASSETS_REPLICA_ORIGIN_ID,
} from "./settings";

/** The Origin Access Control (SigV4) the static-assets bucket and its replica are read through; undefined without `staticAssets`. */
export function createStaticAssetsOac(scope: Construct, props: EdgeDistributionProps): CloudfrontOriginAccessControl | undefined {
  const naming = props.naming;
  return props.staticAssets
    ? new CloudfrontOriginAccessControl(scope, "static-assets-oac", {
        name: naming.name("edge", "static-assets"),
        description: `SigV4 signing for the static-assets bucket of ${naming.prefix}`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      })
    : undefined;
}

/**
 * The distribution's origins, its origin groups (possibly none) and the origin `/static/*` targets.
 * Static assets come from S3 through Origin Access Control, when a bucket is given.
 * CloudFront fails over only read-only behaviors; `/static/*` is the one that targets the ALB, so the
 * origin group exists only while S3 does not serve it. Otherwise the Route 53 failover record of
 * originDomain moves every behavior to the DR region.
 */
export function distributionOrigins(props: EdgeDistributionProps, staticOac: CloudfrontOriginAccessControl | undefined) {
  const originGroup = props.failoverOriginDomain !== undefined && props.staticAssets === undefined;
  const staticReplica = props.staticAssets?.replicaBucketRegionalDomainName;
  return {
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
    originGroup: [
      ...(originGroup ? [failoverGroup(ORIGIN_GROUP_ID, ALB_ORIGIN_ID, FAILOVER_ORIGIN_ID)] : []),
      ...(staticReplica ? [failoverGroup(STATIC_ASSETS_ORIGIN_GROUP_ID, STATIC_ASSETS_ORIGIN_ID, STATIC_ASSETS_REPLICA_ORIGIN_ID)] : []),
    ],
    staticTargetOriginId: staticReplica ? STATIC_ASSETS_ORIGIN_GROUP_ID : props.staticAssets ? STATIC_ASSETS_ORIGIN_ID : originGroup ? ORIGIN_GROUP_ID : ALB_ORIGIN_ID,
  };
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
