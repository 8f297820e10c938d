import { Construct } from "constructs";
import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyConditions, PolicyStatement, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/**
 * Alert severities, lowest first. One SNS topic exists per severity; budgets, cost anomalies and the
 * data stores' CloudWatch alarms publish to the topic of the severity they mean.
 */
export const SEVERITIES = ["warning", "alert", "critical"] as const;
/** `warning` | `alert` | `critical`. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The AWS services allowed to publish to the alert topics, each with the `aws:SourceArn` pattern
 * AWS documents for its topic policy (`undefined` where AWS documents `aws:SourceAccount` only).
 */
export const ALERT_PUBLISHERS = [
  { sid: "Budgets", service: "budgets.amazonaws.com", sourceArn: (c: AwsContext) => c.arn("budgets", "*", "") },
  { sid: "CostAnomalyDetection", service: "costalerts.amazonaws.com", sourceArn: undefined },
  { sid: "CloudWatchAlarms", service: "cloudwatch.amazonaws.com", sourceArn: (c: AwsContext) => c.arn("cloudwatch", "alarm:*") },
] as const;

/** The KMS actions a service needs to publish to a topic encrypted with a customer-managed key. */
export const SNS_PUBLISHER_KMS_ACTIONS: readonly string[] = ["kms:GenerateDataKey*", "kms:Decrypt"];

/**
 * A pragmatic email address check (RFC 5322 "dot-atom" local part, a domain with at least one dot).
 * AWS Budgets and SNS reject malformed addresses only at apply time; this catches them at synth.
 */
export const EMAIL_ADDRESS_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Throws `<path>[i]: "<value>" is not an email address …` for the first malformed or repeated address. */
export function assertEmailAddresses(path: string, addresses: readonly string[]): void {
  addresses.forEach((address, i) => {
    if (typeof address !== "string" || !EMAIL_ADDRESS_PATTERN.test(address)) {
      throw new Error(`${path}[${i}]: "${address}" is not an email address; use the form name@example.com`);
    }
    const first = addresses.findIndex((a) => a.toLowerCase() === address.toLowerCase());
    if (first !== i) {
      throw new Error(`${path}[${i}]: "${address}" repeats ${path}[${first}]; list each address once`);
    }
  });
}

/** Where PagerDuty alerts go: an Events API integration URL, given inline or read from SSM. */
export interface PagerDutySettings {
  /**
   * The HTTPS integration endpoint of a PagerDuty "Amazon CloudWatch"/"Amazon SNS" service integration,
   * e.g. `https://events.pagerduty.com/integration/<key>/enqueue`. It embeds the integration key: prefer
   * `integrationUrlParameter` so the key stays out of the repository. Exactly one of the two is required.
   */
  readonly integrationUrl?: string;
  /**
   * Name of an SSM `SecureString` parameter holding the integration URL (read at plan time, so it is
   * never written into the repository; it is still stored in the encrypted Terraform state).
   */
  readonly integrationUrlParameter?: string;
}

/** Slack delivery through AWS Chatbot. */
export interface SlackSettings {
  /**
   * The Slack workspace (team) id, e.g. `T07EA123LEP`. The workspace must be authorised once, by hand,
   * in the AWS Chatbot console (Configure new client → Slack → Allow) before the first deploy; only
   * then does Chatbot know the team id and accept this configuration.
   */
  readonly teamId: string;
  /** The channel id, e.g. `C07EZ1ABC23` (Slack: channel details → bottom of the About tab). */
  readonly channelId: string;
  /** Severities posted to the channel. @default all of SEVERITIES */
  readonly severities?: readonly Severity[];
  /**
   * Region whose AWS Chatbot API endpoint manages the configuration. Chatbot is a global service
   * whose API is not served in us-east-1; the topics themselves may live in any region.
   * @default "us-east-2"
   */
  readonly apiRegion?: string;
}

/** Per-environment alert routing: the `alerting` section of the environment config. */
export interface AlertingSettings {
  /**
   * Email addresses subscribed to each severity's topic. Each address receives an SNS confirmation
   * mail and gets nothing until the link in it is followed. @default no email subscriptions
   */
  readonly emailSubscribers?: Partial<Record<Severity, readonly string[]>>;
  /** PagerDuty, subscribed (HTTPS, auto-confirmed) to the `critical` topic. @default no PagerDuty */
  readonly pagerDuty?: PagerDutySettings;
  /** Slack through AWS Chatbot. @default no Slack */
  readonly slack?: SlackSettings;
}

export interface AlertTopicsProps extends AlertingSettings {
  /** Names the topics `aivo-<env>-alerts-<severity>`, the key alias and the Chatbot role. */
  readonly naming: Naming;
}

/**
 * One KMS-encrypted SNS topic per severity (`warning`, `alert`, `critical`) that AWS Budgets, Cost
 * Anomaly Detection and CloudWatch alarms of this account may publish to, with email, PagerDuty and
 * Slack (AWS Chatbot) subscriptions from the environment config.
 *
 * Every topic has a resource policy that (a) keeps the account's IAM in control of the topic, (b) lets
 * exactly the services of `ALERT_PUBLISHERS` publish on behalf of this account (`aws:SourceAccount`,
 * plus `aws:SourceArn` where AWS documents it) and (c) denies requests not made over TLS. The key
 * policy grants the same services `kms:GenerateDataKey*`/`kms:Decrypt` without conditions, as AWS
 * documents it for encrypted alarm topics; without it they could not publish to an encrypted topic.
 */
export class AlertTopics extends Construct {
  /** The topic ARN of each severity. They resolve through the topic policies, so anything that
   * publishes to a topic (budget, anomaly subscription, alarm) is created after its policy exists. */
  readonly topicArns: Record<Severity, string>;
  /** The topic resources (escape hatch). */
  readonly topics: Record<Severity, SnsTopic>;
  /** The customer-managed key encrypting the topics. */
  readonly key: CustomerManagedKey;
  /** ARN of that key. */
  readonly keyArn: string;
  /** The Chatbot Slack channel configuration, when `slack` is set. */
  readonly slackChannel?: ChatbotSlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    const path = `${props.naming.environment}.alerting`;
    validate(path, props);

    const context = AwsContext.of(this);
    this.key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: "alerts",
      description: `Encrypts the ${props.naming.prefix} alert topics (${SEVERITIES.join(", ")})`,
      // AWS's documented key policy for encrypted alarm/budget topics grants the service principals
      // without conditions; an aws:SourceAccount condition here is reported to break delivery. The
      // topic policies (below) are where publishing is scoped to this account and its ARNs.
      serviceGrants: ALERT_PUBLISHERS.map((p) => ({ service: p.service, actions: SNS_PUBLISHER_KMS_ACTIONS })),
    });
    this.keyArn = this.key.keyArn;

    const topics = {} as Record<Severity, SnsTopic>;
    const topicArns = {} as Record<Severity, string>;
    for (const severity of SEVERITIES) {
      const topic = new SnsTopic(this, `topic-${severity}`, {
        name: props.naming.name("alerts", severity),
        displayName: `${props.naming.prefix} ${severity}`,
        kmsMasterKeyId: this.key.keyArn,
      });
      const topicPolicy = new SnsTopicPolicy(this, `topic-policy-${severity}`, {
        arn: topic.arn,
        policy: policyDocument(topicPolicyStatements(context, topic.arn)),
      });
      topics[severity] = topic;
      topicArns[severity] = topicPolicy.arn;
    }
    this.topics = topics;
    this.topicArns = topicArns;

    for (const severity of SEVERITIES) {
      // Keyed by address, not position, so removing one address never re-creates the others.
      for (const address of props.emailSubscribers?.[severity] ?? []) {
        new SnsTopicSubscription(this, `email-${severity}-${address.replace(/\//g, "_")}`, {
          topicArn: topicArns[severity],
          protocol: "email",
          endpoint: address,
        });
      }
    }

    if (props.pagerDuty) {
      const endpoint =
        props.pagerDuty.integrationUrl ??
        new DataAwsSsmParameter(this, "pagerduty-url", {
          name: props.pagerDuty.integrationUrlParameter!,
          withDecryption: true,
        }).value;
      new SnsTopicSubscription(this, "pagerduty", {
        topicArn: topicArns.critical,
        protocol: "https",
        endpoint,
        endpointAutoConfirms: true,
      });
    }

    if (props.slack) {
      this.slackChannel = this.slack(props.naming, props.slack, topicArns);
    }
  }

  /** AWS Chatbot: a role that may only read CloudWatch, the same policy as the channel guardrail. */
  private slack(naming: Naming, slack: SlackSettings, topicArns: Record<Severity, string>): ChatbotSlackChannelConfiguration {
    const readOnly = new IamPolicy(this, "chatbot-read-only", {
      name: naming.name("chatbot-read-only"),
      description: "AWS Chatbot: read CloudWatch alarms and metrics for alert notifications, nothing else",
      policy: policyDocument([
        {
          Sid: "ReadCloudWatchForNotifications",
          Action: ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"],
          Resource: "*",
        },
      ]),
    });
    const role = new IamRole(this, "chatbot-role", {
      name: naming.name("chatbot"),
      description: "Assumed by AWS Chatbot to render alert notifications in Slack",
      assumeRolePolicy: serviceAssumeRolePolicy("chatbot.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "chatbot-read-only-attachment", { role: role.name, policyArn: readOnly.arn });
    return new ChatbotSlackChannelConfiguration(this, "slack", {
      region: slack.apiRegion ?? "us-east-2",
      configurationName: naming.name("alerts"),
      slackTeamId: slack.teamId,
      slackChannelId: slack.channelId,
      iamRoleArn: role.arn,
      // Without guardrails AWS applies AdministratorAccess to what channel members may run.
      guardrailPolicyArns: [readOnly.arn],
      snsTopicArns: (slack.severities ?? SEVERITIES).map((s) => topicArns[s]),
      loggingLevel: "ERROR",
    });
  }
}

function topicPolicyStatements(context: AwsContext, topicArn: string): PolicyStatement[] {
  return [
    {
      Sid: "AllowAccountIamToManageTopic",
      Principal: { AWS: context.accountRootArn },
      Action: [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
      ],
      Resource: topicArn,
    },
    ...ALERT_PUBLISHERS.map((p): PolicyStatement => {
      const conditions: PolicyConditions = { StringEquals: { "aws:SourceAccount": context.accountId } };
      if (p.sourceArn) conditions.ArnLike = { "aws:SourceArn": p.sourceArn(context) };
      return {
        Sid: `Allow${p.sid}ToPublish`,
        Principal: { Service: p.service },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: conditions,
      };
    }),
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "SNS:*",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
}

function validate(path: string, props: AlertTopicsProps): void {
  for (const [severity, addresses] of Object.entries(props.emailSubscribers ?? {})) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new Error(`${path}.emailSubscribers.${severity}: unknown severity; use one of ${SEVERITIES.join(", ")}`);
    }
    assertEmailAddresses(`${path}.emailSubscribers.${severity}`, addresses ?? []);
  }

  if (props.pagerDuty) {
    const { integrationUrl, integrationUrlParameter } = props.pagerDuty;
    if ((integrationUrl === undefined) === (integrationUrlParameter === undefined)) {
      throw new Error(`${path}.pagerDuty: set exactly one of integrationUrl and integrationUrlParameter`);
    }
    if (integrationUrl !== undefined && !isHttpsUrl(integrationUrl)) {
      throw new Error(
        `${path}.pagerDuty.integrationUrl: "${integrationUrl}" is not an https:// URL; use the PagerDuty integration endpoint, e.g. https://events.pagerduty.com/integration/<key>/enqueue`,
      );
    }
    if (integrationUrlParameter !== undefined && !/^\/?[A-Za-z0-9_.\-/]+$/.test(integrationUrlParameter)) {
      throw new Error(`${path}.pagerDuty.integrationUrlParameter: "${integrationUrlParameter}" is not an SSM parameter name`);
    }
  }

  if (props.slack) {
    const { teamId, channelId, severities } = props.slack;
    if (!/^T[A-Z0-9]{8,}$/.test(teamId)) {
      throw new Error(`${path}.slack.teamId: "${teamId}" is not a Slack workspace id; copy it (T…) from the AWS Chatbot console`);
    }
    if (!/^[CG][A-Z0-9]{8,}$/.test(channelId)) {
      throw new Error(`${path}.slack.channelId: "${channelId}" is not a Slack channel id; copy it (C… or G…) from the channel details`);
    }
    if (severities !== undefined) {
      if (severities.length === 0) throw new Error(`${path}.slack.severities: empty; omit it for all severities or list some`);
      for (const s of severities) {
        if (!(SEVERITIES as readonly string[]).includes(s)) {
          throw new Error(`${path}.slack.severities: "${s}" is not a severity; use ${SEVERITIES.join(", ")}`);
        }
      }
    }
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.includes(".") && !url.username && !url.password;
  } catch {
    return false;
  }
}
