import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import { STATE_BACKEND } from "../environments/state";
import { MailIdentity, DKIM_TARGET_DOMAIN, EASY_DKIM_RECORDS } from "../modules/aws/observability/mail-identity";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, policy } from "./helpers";

const naming = new Naming("aivo", "account");
const props = { naming, domain: "aivo.edu", zoneId: "Z123", fromAddresses: ["alertmanager@aivo.edu"] };
const doc = parse(Testing.synthScope((scope) => new MailIdentity(scope, "mail", props)));

describe("MailIdentity (SES for alert mail)", () => {
  it("verifies the domain with 2048-bit Easy DKIM, under a configuration set that requires TLS and suppresses bounces", () => {
    const identity = onlyResource(doc, "aws_sesv2_email_identity");
    expect(identity).toMatchObject({ email_identity: "aivo.edu", dkim_signing_attributes: { next_signing_key_length: "RSA_2048_BIT" } });
    const set = onlyResource(doc, "aws_sesv2_configuration_set");
    expect(identity.configuration_set_name).toContain("aws_sesv2_configuration_set.");
    expect(set).toMatchObject({ configuration_set_name: "aivo-account-alert-mail", delivery_options: { tls_policy: "REQUIRE" }, suppression_options: { suppressed_reasons: ["BOUNCE", "COMPLAINT"] } });
  });

  it("publishes the three DKIM CNAMEs in the domain's zone", () => {
    const records = configsOf(doc, "aws_route53_record");
    expect(records).toHaveLength(EASY_DKIM_RECORDS);
    records.forEach((r, i) => {
      expect(r).toMatchObject({ zone_id: "Z123", type: "CNAME" });
      expect(r.name).toMatch(new RegExp(`^\\$\\{element\\(aws_sesv2_email_identity\\.\\S+\\.dkim_signing_attributes\\[0\\]\\.tokens, ${i}\\)\\}\\._domainkey\\.aivo\\.edu$`));
      expect(r.records[0]).toMatch(new RegExp(`\\.${DKIM_TARGET_DOMAIN.replace(/\./g, "\\.")}$`));
    });
  });

  it("gives the SMTP user no key and only SendRawEmail as the alert addresses", () => {
    expect(configsOf(doc, "aws_iam_access_key")).toHaveLength(0);
    const [statement] = policy(onlyResource(doc, "aws_iam_user_policy").policy).Statement;
    expect(statement).toMatchObject({ Effect: "Allow", Action: "ses:SendRawEmail", Condition: { StringEquals: { "ses:FromAddress": ["alertmanager@aivo.edu"] } } });
  });

  it("rejects a From address outside the verified domain", () => {
    expect(() => Testing.synthScope((scope) => new MailIdentity(scope, "m", { ...props, fromAddresses: ["alerts@example.org"] }))).toThrow(
      'account.mail.fromAddresses[0]: "alerts@example.org" is not an address of aivo.edu, the identity SES verifies',
    );
  });
});

describe("the environments' alert mail", () => {
  it("goes through the SMTP interface of the region where the account stack verifies the identity, from an address of it", () => {
    for (const env of ENVIRONMENTS) {
      const email = env.observability.receivers.email!;
      expect(email.smarthost).toBe(`email-smtp.${STATE_BACKEND.region}.amazonaws.com:587`);
      expect(email.from.endsWith("@aivo.edu")).toBe(true);
    }
  });
});
