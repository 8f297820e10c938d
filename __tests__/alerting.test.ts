import { Testing } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { AlertTopics, AlertTopicsProps, SEVERITIES } from "../modules/aws/observability/alerting";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, policy, resourcesOf, TerraformJson } from "./helpers";

const naming = new Naming("aivo", "development");
const PAGERDUTY = "https://events.pagerduty.com/integration/0123456789abcdef/enqueue";

function synth(props: Omit<AlertTopicsProps, "naming">): TerraformJson {
  return parse(Testing.synthScope((scope) => void new AlertTopics(scope, "alerts", { naming, ...props })));
}

/** `${aws_sns_topic_policy.<id>.arn}` of each severity, found through the topic each policy protects. */
function policyArnRefs(doc: TerraformJson): Record<string, string> {
  const topics = resourcesOf(doc, "aws_sns_topic");
  const refs: Record<string, string> = {};
  for (const [id, topicPolicy] of Object.entries(resourcesOf(doc, "aws_sns_topic_policy"))) {
    const topicId = /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(topicPolicy.arn)![1];
    const severity = topics[topicId].name.replace("aivo-development-alerts-", "");
    refs[severity] = `\${aws_sns_topic_policy.${id}.arn}`;
  }
  return refs;
}

const ACCOUNT = /^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/;

describe("AlertTopics", () => {
  const full = synth({
    emailSubscribers: { warning: ["dev-team@aivo.edu"], critical: ["oncall@aivo.edu", "platform@aivo.edu"] },
    pagerDuty: { integrationUrl: PAGERDUTY },
    slack: { teamId: "T07EA123LEP", channelId: "C07EZ1ABC23" },
  });
  const minimal = synth({ pagerDuty: { integrationUrlParameter: "/aivo/development/pagerduty-url" } });
  const refs = policyArnRefs(full);

  it("creates one topic per severity, named aivo-<env>-alerts-<severity>, all encrypted with one rotating CMK", () => {
    const topics = configsOf(full, "aws_sns_topic");
    expect(topics.map((t) => t.name).sort()).toEqual(SEVERITIES.map((s) => `aivo-development-alerts-${s}`).sort());
    const [keyId] = Object.keys(resourcesOf(full, "aws_kms_key"));
    expect(Object.keys(resourcesOf(full, "aws_kms_key"))).toHaveLength(1);
    for (const topic of topics) expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(onlyResource(full, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(full, "aws_kms_alias").name).toBe("alias/aivo/development/alerts");
    expect(Testing.synthScope((s) => void new AlertTopics(s, "a", { naming }))).toHaveResourceWithProperties(SnsTopic, {
      name: "aivo-development-alerts-critical",
    });
  });

  it("lets budgets, cost anomaly detection and CloudWatch use the key, unconditioned as AWS documents it", () => {
    const statements = policy(onlyResource(full, "aws_kms_key").policy).Statement;
    const services = statements.filter((s) => s.Principal.Service).map((s) => s.Principal.Service);
    expect(services).toEqual(["budgets.amazonaws.com", "costalerts.amazonaws.com", "cloudwatch.amazonaws.com"]);
    for (const s of statements.filter((st) => st.Principal.Service)) {
      expect(s.Effect).toBe("Allow");
      expect(s.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
      // A condition on the key grant is reported to break delivery; the topic policies scope publishing.
      expect(s.Condition).toBeUndefined();
    }
  });

  it("gives every topic a policy: account IAM, the three publishers with source conditions, TLS only", () => {
    const policies = configsOf(full, "aws_sns_topic_policy");
    expect(policies).toHaveLength(3);
    for (const topicPolicy of policies) {
      const statements = policy(topicPolicy.policy).Statement;
      for (const s of statements) expect(s.Resource).toBe(topicPolicy.arn);
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      expect(Object.keys(bySid)).toEqual([
        "AllowAccountIamToManageTopic",
        "AllowBudgetsToPublish",
        "AllowCostAnomalyDetectionToPublish",
        "AllowCloudWatchAlarmsToPublish",
        "DenyInsecureTransport",
      ]);
      expect(bySid.AllowAccountIamToManageTopic.Principal.AWS).toMatch(/:iam::\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:root$/);

      const budgets = bySid.AllowBudgetsToPublish;
      expect(budgets.Principal).toEqual({ Service: "budgets.amazonaws.com" });
      expect(budgets.Action).toBe("SNS:Publish");
      expect(budgets.Condition.StringEquals["aws:SourceAccount"]).toMatch(ACCOUNT);
      expect(budgets.Condition.ArnLike["aws:SourceArn"]).toMatch(/^arn:\$\{[^}]+\}:budgets::\$\{[^}]+\.account_id\}:\*$/);

      const anomalies = bySid.AllowCostAnomalyDetectionToPublish;
      expect(anomalies.Principal).toEqual({ Service: "costalerts.amazonaws.com" });
      expect(anomalies.Action).toBe("SNS:Publish");
      expect(anomalies.Condition).toEqual({ StringEquals: { "aws:SourceAccount": expect.stringMatching(ACCOUNT) } });

      const alarms = bySid.AllowCloudWatchAlarmsToPublish;
      expect(alarms.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      expect(alarms.Condition.StringEquals["aws:SourceAccount"]).toMatch(ACCOUNT);
      expect(alarms.Condition.ArnLike["aws:SourceArn"]).toMatch(/:cloudwatch:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{[^}]+\}:alarm:\*$/);

      expect(bySid.DenyInsecureTransport).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: "SNS:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });

  it("subscribes each email address to its severity's topic, through the topic policy", () => {
    const emails = configsOf(full, "aws_sns_topic_subscription").filter((s) => s.protocol === "email");
    expect(emails.map((s) => [s.endpoint, s.topic_arn]).sort()).toEqual(
      [
        ["dev-team@aivo.edu", refs.warning],
        ["oncall@aivo.edu", refs.critical],
        ["platform@aivo.edu", refs.critical],
      ].sort(),
    );
  });

  it("subscribes PagerDuty over HTTPS to the critical topic, auto-confirmed", () => {
    const pagerDuty = configsOf(full, "aws_sns_topic_subscription").filter((s) => s.protocol === "https");
    expect(pagerDuty).toEqual([
      { protocol: "https", endpoint: PAGERDUTY, endpoint_auto_confirms: true, topic_arn: refs.critical },
    ]);
  });

  it("reads the PagerDuty URL from SSM when given a parameter name", () => {
    const parameter = Object.entries(minimal.data!.aws_ssm_parameter);
    expect(parameter).toHaveLength(1);
    expect(parameter[0][1]).toEqual({ name: "/aivo/development/pagerduty-url", with_decryption: true });
    const [subscription] = configsOf(minimal, "aws_sns_topic_subscription");
    expect(subscription.endpoint).toBe(`\${data.aws_ssm_parameter.${parameter[0][0]}.value}`);
    expect(subscription.topic_arn).toBe(policyArnRefs(minimal).critical);
  });

  it("posts every severity to Slack through Chatbot with a CloudWatch-read-only role and guardrail", () => {
    const slack = onlyResource(full, "aws_chatbot_slack_channel_configuration");
    const [policyId] = Object.keys(resourcesOf(full, "aws_iam_policy"));
    const [roleId, role] = Object.entries(resourcesOf(full, "aws_iam_role"))[0];
    expect(slack).toMatchObject({
      configuration_name: "aivo-development-alerts",
      slack_team_id: "T07EA123LEP",
      slack_channel_id: "C07EZ1ABC23",
      region: "us-east-2",
      iam_role_arn: `\${aws_iam_role.${roleId}.arn}`,
      guardrail_policy_arns: [`\${aws_iam_policy.${policyId}.arn}`],
      sns_topic_arns: [refs.warning, refs.alert, refs.critical],
    });
    expect(policy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "chatbot.amazonaws.com" });
    const readOnly = policy(onlyResource(full, "aws_iam_policy").policy).Statement;
    expect(readOnly.flatMap((s) => s.Action)).toEqual(["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"]);
    expect(onlyResource(full, "aws_iam_role_policy_attachment").policy_arn).toBe(`\${aws_iam_policy.${policyId}.arn}`);
  });

  it("creates no Slack, email or role resources when none is configured", () => {
    expect(resourcesOf(minimal, "aws_chatbot_slack_channel_configuration")).toEqual({});
    expect(resourcesOf(minimal, "aws_iam_role")).toEqual({});
    expect(configsOf(minimal, "aws_sns_topic_subscription").map((s) => s.protocol)).toEqual(["https"]);
  });

  describe("rejects", () => {
    const build = (props: Omit<AlertTopicsProps, "naming">) => () =>
      Testing.synthScope((scope) => void new AlertTopics(scope, "alerts", { naming, ...props }));

    it("an email that is not an address", () => {
      expect(build({ emailSubscribers: { alert: ["ops@aivo.edu", "ops-at-aivo.edu"] } })).toThrow(
        'development.alerting.emailSubscribers.alert[1]: "ops-at-aivo.edu" is not an email address; use the form name@example.com',
      );
    });

    it("an address listed twice", () => {
      expect(build({ emailSubscribers: { critical: ["ops@aivo.edu", "OPS@aivo.edu"] } })).toThrow(
        'development.alerting.emailSubscribers.critical[1]: "OPS@aivo.edu" repeats development.alerting.emailSubscribers.critical[0]',
      );
    });

    it("an unknown severity", () => {
      const bad = { emailSubscribers: { urgent: ["ops@aivo.edu"] } } as unknown as AlertTopicsProps;
      expect(build(bad)).toThrow("development.alerting.emailSubscribers.urgent: unknown severity; use one of warning, alert, critical");
    });

    it("a PagerDuty endpoint that is not https", () => {
      expect(build({ pagerDuty: { integrationUrl: "http://events.pagerduty.com/integration/x/enqueue" } })).toThrow(
        'development.alerting.pagerDuty.integrationUrl: "http://events.pagerduty.com/integration/x/enqueue" is not an https:// URL',
      );
      expect(build({ pagerDuty: { integrationUrl: "events.pagerduty.com" } })).toThrow("is not an https:// URL");
    });

    it("PagerDuty with both or neither of URL and parameter", () => {
      const message = "development.alerting.pagerDuty: set exactly one of integrationUrl and integrationUrlParameter";
      expect(build({ pagerDuty: {} })).toThrow(message);
      expect(build({ pagerDuty: { integrationUrl: PAGERDUTY, integrationUrlParameter: "/p" } })).toThrow(message);
    });

    it("Slack ids of the wrong shape and empty or unknown severities", () => {
      expect(build({ slack: { teamId: "aivo", channelId: "C07EZ1ABC23" } })).toThrow(
        'development.alerting.slack.teamId: "aivo" is not a Slack workspace id',
      );
      expect(build({ slack: { teamId: "T07EA123LEP", channelId: "#alerts" } })).toThrow(
        'development.alerting.slack.channelId: "#alerts" is not a Slack channel id',
      );
      expect(build({ slack: { teamId: "T07EA123LEP", channelId: "C07EZ1ABC23", severities: [] } })).toThrow(
        "development.alerting.slack.severities: empty",
      );
      const unknown = { slack: { teamId: "T07EA123LEP", channelId: "C07EZ1ABC23", severities: ["info"] } } as unknown as AlertTopicsProps;
      expect(build(unknown)).toThrow('development.alerting.slack.severities: "info" is not a severity');
    });
  });
});
