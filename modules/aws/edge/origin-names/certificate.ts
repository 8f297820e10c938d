import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface OriginCertificateProps {
  /** The names it covers, the first as the certificate's domain name. */
  readonly names: readonly string[];
  /** The public hosted zone the validation records go to. */
  readonly zoneId: string;
  /**
   * Names whose validation record another stack already owns (a certificate of the same name in
   * another region: ACM gives a name one validation CNAME per account, terraform-provider-aws#13653).
   * Their record is not created again, so each record keeps one owner. @default none
   */
  readonly validatedElsewhere?: readonly string[];
}

/**
 * A regional ACM certificate for an ALB, DNS-validated in the public zone, that creates only the
 * validation records no other stack owns, and waits for the certificate to be issued.
 */
export class OriginCertificate extends Construct {
  readonly certificate: AcmCertificate;
  /** The issued certificate's ARN (after validation). */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: OriginCertificateProps) {
    super(scope, id);
    const [domainName, ...alternatives] = props.names;
    this.certificate = new AcmCertificate(this, "certificate", {
      domainName,
      ...(alternatives.length ? { subjectAlternativeNames: alternatives } : {}),
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      lifecycle: { createBeforeDestroy: true },
    });
    // Keyed by domain name (known at plan time), without the names validated elsewhere.
    const skip = JSON.stringify([...(props.validatedElsewhere ?? [])]);
    const options = TerraformIterator.fromMap(
      Token.asAnyMap(`\${{ for o in ${this.certificate.fqn}.domain_validation_options : o.domain_name => o if !contains(${skip}, o.domain_name) }}`),
    );
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
    });
    // No validation_record_fqdns: the provider would insist on a record of this stack for every name.
    const validation = new AcmCertificateValidation(this, "validation", { certificateArn: this.certificate.arn, dependsOn: [records] });
    this.certificateArn = validation.certificateArn;
  }
}
