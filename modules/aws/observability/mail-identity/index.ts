import { Fn } from "cdktf";
import { Construct } from "constructs";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Sesv2ConfigurationSet } from "@cdktf/provider-aws/lib/sesv2-configuration-set";
import { Sesv2EmailIdentity } from "@cdktf/provider-aws/lib/sesv2-email-identity";
import { policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/** Easy DKIM publishes three CNAME records per domain identity (SES Developer Guide, "Easy DKIM"). */
export const EASY_DKIM_RECORDS = 3;
/** The domain the DKIM CNAMEs point into. */
export const DKIM_TARGET_DOMAIN = "dkim.amazonses.com";

export interface MailIdentityProps {
  readonly naming: Naming;
  /** The domain mail is sent from (`aivo.edu`): its SES identity signs with DKIM. */
  readonly domain: string;
  /** The Route 53 public zone of `domain`, where the DKIM records go. */
  readonly zoneId: string;
  /** The only From addresses the SMTP user may send as, e.g. `alertmanager@aivo.edu`. */
  readonly fromAddresses: readonly string[];
}

/**
 * Amazon SES for the platform's alert mail, in the region whose SMTP interface Alertmanager uses: the
 * domain identity with Easy DKIM (2048-bit) and its three CNAMEs in the domain's zone, a configuration
 * set that requires TLS to the receiving server and suppresses bounced and complained addresses, and
 * the SMTP user — an IAM user with no key, allowed only `ses:SendRawEmail` as the listed From
 * addresses. Its access key and SMTP password are made by hand so that no secret enters Terraform
 * state (docs/first-apply-aws.md, "Mail").
 */
export class MailIdentity extends Construct {
  readonly identity: Sesv2EmailIdentity;
  readonly configurationSet: Sesv2ConfigurationSet;
  /** The SMTP user (its name: `smtpUserName`). */
  readonly smtpUser: IamUser;
  readonly smtpUserName: string;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    if (!props.fromAddresses.length) throw new Error(`${props.naming.environment}.mail.fromAddresses: empty; list the addresses alerts are sent from`);
    for (const [i, address] of props.fromAddresses.entries()) {
      if (!address.endsWith(`@${props.domain}`)) {
        throw new Error(`${props.naming.environment}.mail.fromAddresses[${i}]: "${address}" is not an address of ${props.domain}, the identity SES verifies`);
      }
    }
    this.configurationSet = new Sesv2ConfigurationSet(this, "configuration-set", {
      configurationSetName: props.naming.name("alert-mail"),
      deliveryOptions: { tlsPolicy: "REQUIRE" },
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
    });
    this.identity = new Sesv2EmailIdentity(this, "identity", {
      emailIdentity: props.domain,
      configurationSetName: this.configurationSet.configurationSetName,
      dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
    });
    for (let i = 0; i < EASY_DKIM_RECORDS; i++) {
      const token = Fn.element(this.identity.dkimSigningAttributes.tokens, i);
      new Route53Record(this, `dkim-${i}`, {
        zoneId: props.zoneId,
        name: `${token}._domainkey.${props.domain}`,
        type: "CNAME",
        ttl: 1800,
        records: [`${token}.${DKIM_TARGET_DOMAIN}`],
      });
    }
    this.smtpUserName = props.naming.name("ses-smtp");
    this.smtpUser = new IamUser(this, "smtp-user", { name: this.smtpUserName, path: "/smtp/" });
    new IamUserPolicy(this, "smtp-user-policy", {
      user: this.smtpUser.name,
      name: "send-alert-mail",
      policy: policyDocument([
        {
          Sid: "SendAsAlertAddressesOnly",
          Action: "ses:SendRawEmail",
          Resource: [this.identity.arn, this.configurationSet.arn],
          // ses:FromAddress is single-valued: StringEquals (a ForAllValues test would pass a request without it).
          Condition: { StringEquals: { "ses:FromAddress": [...props.fromAddresses] } },
        },
      ]),
    });
  }
}
