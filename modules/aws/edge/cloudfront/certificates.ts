// The certificates: CloudFront's (us-east-1, every served name) and the origin's (the environment's
// region, for the public ALB), each validated through DNS records in the public zone.
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate, AcmCertificateConfig } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { EdgeDistributionProps } from "./settings";

/**
 * Creates both certificates in `scope` and returns their ARNs once validated: `certificateArn`
 * (us-east-1, `aliases` — the domain first) for the distribution, `originCertificateArn` (the stack's
 * default provider, `originDomain` and `originAlternativeNames`) for the ALB's HTTPS listener.
 */
export function createCertificates(scope: Construct, props: EdgeDistributionProps, aliases: readonly string[]) {
  // In us-east-1, for CloudFront: every served name.
  const validation = dnsValidatedCertificate(scope, "certificate", props.publicZoneId, {
    provider: props.usEast1Provider,
    domainName: props.domain,
    subjectAlternativeNames: aliases.slice(1),
  });
  // In the environment's region, for the ALB.
  const originValidation = dnsValidatedCertificate(scope, "origin-certificate", props.publicZoneId, {
    domainName: props.originDomain,
    ...(props.originAlternativeNames?.length ? { subjectAlternativeNames: [...props.originAlternativeNames] } : {}),
  });
  return { certificateArn: validation.certificateArn, originCertificateArn: originValidation.certificateArn };
}

/**
 * An RSA 2048 ACM certificate (`<id>`), validated by one CNAME per name in `zoneId` keyed by domain
 * name (`<id>-validation-record`), and its validation (`<id>-validation`), with the certificate's provider.
 */
function dnsValidatedCertificate(
  scope: Construct,
  id: string,
  zoneId: string,
  names: Pick<AcmCertificateConfig, "provider" | "domainName" | "subjectAlternativeNames">,
): AcmCertificateValidation {
  const certificate = new AcmCertificate(scope, id, {
    ...names,
    validationMethod: "DNS",
    keyAlgorithm: "RSA_2048",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
    lifecycle: { createBeforeDestroy: true },
  });
  const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
  const records = new Route53Record(scope, `${id}-validation-record`, {
    forEach: options,
    zoneId,
    name: options.getString("resource_record_name"),
    type: options.getString("resource_record_type"),
    records: [options.getString("resource_record_value")],
    ttl: 60,
    allowOverwrite: true,
  });
  return new AcmCertificateValidation(scope, `${id}-validation`, {
    provider: names.provider,
    certificateArn: certificate.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
  });
}
