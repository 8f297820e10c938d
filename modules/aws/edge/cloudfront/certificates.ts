// The certificates: CloudFront's (us-east-1, every served name) and the origin's (the environment's
// region, for the public ALB), each validated through DNS records in the public zone.
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { EdgeDistributionProps } from "./settings";

/**
 * Creates both certificates in `scope` and returns their ARNs once validated: `certificateArn`
 * (us-east-1, `aliases` — the domain first) for the distribution, `originCertificateArn` (the stack's
 * default provider, `originDomain` and `originAlternativeNames`) for the ALB's HTTPS listener.
 */
export function createCertificates(scope: Construct, props: EdgeDistributionProps, aliases: readonly string[]) {
  const usEast1 = props.usEast1Provider;
  // Certificate in us-east-1, validated by one CNAME per name, keyed by domain name.
  const certificate = new AcmCertificate(scope, "certificate", {
    provider: usEast1,
    domainName: props.domain,
    subjectAlternativeNames: aliases.slice(1),
    validationMethod: "DNS",
    keyAlgorithm: "RSA_2048",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
    lifecycle: { createBeforeDestroy: true },
  });
  const validationOptions = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
  const validationRecords = new Route53Record(scope, "certificate-validation-record", {
    forEach: validationOptions,
    zoneId: props.publicZoneId,
    name: validationOptions.getString("resource_record_name"),
    type: validationOptions.getString("resource_record_type"),
    records: [validationOptions.getString("resource_record_value")],
    ttl: 60,
    allowOverwrite: true,
  });
  const validation = new AcmCertificateValidation(scope, "certificate-validation", {
    provider: usEast1,
    certificateArn: certificate.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty("fqdn")),
  });

  // The origin's certificate, in the environment's region for the ALB; one validation CNAME.
  const originCertificate = new AcmCertificate(scope, "origin-certificate", {
    domainName: props.originDomain,
    ...(props.originAlternativeNames?.length ? { subjectAlternativeNames: [...props.originAlternativeNames] } : {}),
    validationMethod: "DNS",
    keyAlgorithm: "RSA_2048",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
    lifecycle: { createBeforeDestroy: true },
  });
  const originValidationOptions = TerraformIterator.fromComplexList(originCertificate.domainValidationOptions, "domain_name");
  const originValidationRecords = new Route53Record(scope, "origin-certificate-validation-record", {
    forEach: originValidationOptions,
    zoneId: props.publicZoneId,
    name: originValidationOptions.getString("resource_record_name"),
    type: originValidationOptions.getString("resource_record_type"),
    records: [originValidationOptions.getString("resource_record_value")],
    ttl: 60,
    allowOverwrite: true,
  });
  const originValidation = new AcmCertificateValidation(scope, "origin-certificate-validation", {
    certificateArn: originCertificate.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(originValidationRecords).pluckProperty("fqdn")),
  });

  return { certificateArn: validation.certificateArn, originCertificateArn: originValidation.certificateArn };
}
