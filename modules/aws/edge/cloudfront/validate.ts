// Validation of the edge settings: defaults applied, every rule checked with the field path named.
import { Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CLOUDFRONT_REGION } from "../../../shared/aws-context";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { DEFAULT_ORIGIN_HEALTH_CHECK_PATH, EdgeDistributionProps, HSTS_MINIMUM_MAX_AGE_SECONDS, PRICE_CLASSES } from "./settings";

/** The edge settings with their defaults applied. */
export interface ResolvedEdgeSettings {
  readonly priceClass: string;
  readonly subdomains: readonly string[];
  readonly healthCheckPath: string;
  readonly healthCheckInterval: number;
  readonly healthCheckFailureThreshold: number;
  readonly privateZoneName: string;
  readonly hstsMaxAge: number;
  readonly staticDefaultTtl: number;
  readonly staticMaxTtl: number;
  readonly error5xxRate: number;
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

/** Applies defaults and checks every setting; throws `<path>.<field>: <value> <rule>; <fix>` (`path` is `<env>.edge`). */
export function validateEdgeProps(path: string, props: EdgeDistributionProps): ResolvedEdgeSettings {
  const s: ResolvedEdgeSettings = {
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
  return s;
}
