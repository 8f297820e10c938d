import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AwsContext } from "../../../shared/aws-context";
import { assertEmailAddresses, SNS_PUBLISHER_KMS_ACTIONS } from "../../observability/alerting";
import { policyDocument } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";
import { FINDING_SOURCES, FINDING_TOPICS, FindingSource, FindingTopic, SOURCE_TOPICS, findingPattern, routeLabel } from "./routes";

/** The EventBridge service principal that publishes rule matches to SNS. */
export const EVENTBRIDGE_SERVICE = "events.amazonaws.com";

export { FINDING_SOURCES, FINDING_TOPICS, SOURCE_TOPICS, findingPattern } from "./routes";
export type { FindingSource, FindingTopic } from "./routes";

/** The GuardDuty protection plans turned on, by their `aws_guardduty_detector_feature` names. */
export const GUARDDUTY_FEATURES = {
  eksAuditLogs: "EKS_AUDIT_LOGS",
  runtimeMonitoring: "RUNTIME_MONITORING",
  /**
   * Additional configuration of RUNTIME_MONITORING: GuardDuty installs and updates the EKS agent add-on.
   * Turned off (`DISABLED`): each environment stack manages the agent add-on and its `guardduty-data`
   * endpoint itself (modules/aws/security/guardduty-agent), so `cdktf destroy` of an environment removes
   * them; GuardDuty's automatically created endpoint and security group would block the VPC's deletion.
   */
  eksAddonManagement: "EKS_ADDON_MANAGEMENT",
} as const;

/** The account's threat-detection settings: the `threatDetection` section of `AccountConfig`. */
export interface ThreatDetectionSettings {
  /**
   * How often GuardDuty re-publishes updates of existing findings to EventBridge.
   * @default "FIFTEEN_MINUTES"
   */
  readonly findingPublishingFrequency?: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
  /** Email addresses subscribed to each findings topic. @default none */
  readonly emailSubscribers?: Partial<Record<FindingTopic, readonly string[]>>;
  /**
   * Name of an SSM SecureString parameter holding the PagerDuty integration URL, subscribed to the
   * `critical` findings topic. @default no PagerDuty
   */
  readonly pagerDutyUrlParameter?: string;
}

export interface ThreatDetectionProps extends ThreatDetectionSettings {
  /** Names the topics `aivo-account-security-<topic>`, the rules and the key alias. */
  readonly naming: Naming;
}

/**
 * GuardDuty for the account's region, with EKS audit-log monitoring and EKS runtime monitoring (the
 * agent managed by each environment stack, modules/aws/security/guardduty-agent), and EventBridge
 * rules that route the findings of GuardDuty, Security Hub and Macie by severity (./routes.ts) to two
 * account-level, CMK-encrypted, TLS-only SNS topics (`critical` and `alert`).
 *
 * The topics are the account stack's own, not the production environment's: the account stack is
 * deployed before any environment, so it cannot publish to topics that do not exist yet, and a
 * finding is about the account (any environment, or none), not about production.
 */
export class ThreatDetection extends Construct {
  readonly detector: GuarddutyDetector;
  readonly detectorId: string;
  /** The findings topic ARNs. */
  readonly topicArns: Record<FindingTopic, string>;
  /** The EventBridge rules of GuardDuty's findings, by topic. */
  readonly rules: Record<FindingTopic, CloudwatchEventRule>;
  /** The EventBridge rules of every source, by source and topic. */
  readonly routes: Record<FindingSource, Partial<Record<FindingTopic, CloudwatchEventRule>>>;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps) {
    super(scope, id);
    const { naming } = props;
    const path = `${naming.environment}.threatDetection`;
    for (const [topic, addresses] of Object.entries(props.emailSubscribers ?? {})) {
      if (!(FINDING_TOPICS as string[]).includes(topic)) {
        throw new Error(`${path}.emailSubscribers.${topic}: unknown topic; use one of ${FINDING_TOPICS.join(", ")}`);
      }
      assertEmailAddresses(`${path}.emailSubscribers.${topic}`, addresses ?? []);
    }
    if (props.pagerDutyUrlParameter !== undefined && !/^\/?[A-Za-z0-9_.\-/]+$/.test(props.pagerDutyUrlParameter)) {
      throw new Error(`${path}.pagerDutyUrlParameter: "${props.pagerDutyUrlParameter}" is not an SSM parameter name`);
    }
    const context = AwsContext.of(this);

    this.detector = new GuarddutyDetector(this, "detector", {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? "FIFTEEN_MINUTES",
    });
    this.detectorId = this.detector.id;
    new GuarddutyDetectorFeature(this, "eks-audit-logs", {
      detectorId: this.detector.id,
      name: GUARDDUTY_FEATURES.eksAuditLogs,
      status: "ENABLED",
    });
    new GuarddutyDetectorFeature(this, "runtime-monitoring", {
      detectorId: this.detector.id,
      name: GUARDDUTY_FEATURES.runtimeMonitoring,
      status: "ENABLED",
      additionalConfiguration: [{ name: GUARDDUTY_FEATURES.eksAddonManagement, status: "DISABLED" }],
    });

    const ruleName = (source: FindingSource, topic: FindingTopic) => naming.name(source, topic);
    const ruleArn = (source: FindingSource, topic: FindingTopic) => context.arn("events", `rule/${ruleName(source, topic)}`);
    this.key = new CustomerManagedKey(this, "key", {
      naming,
      purpose: "security-findings",
      description: `Encrypts the ${naming.prefix} security findings topics`,
      serviceGrants: [CustomerManagedKey.serviceGrant(context, EVENTBRIDGE_SERVICE, SNS_PUBLISHER_KMS_ACTIONS)],
    });

    const topicArns = {} as Record<FindingTopic, string>;
    const routes = Object.fromEntries(FINDING_SOURCES.map((source) => [source, {}])) as Record<FindingSource, Partial<Record<FindingTopic, CloudwatchEventRule>>>;
    const sourcesOf = (topic: FindingTopic) => FINDING_SOURCES.filter((source) => SOURCE_TOPICS[source].includes(topic));
    for (const topic of FINDING_TOPICS) {
      const snsTopic = new SnsTopic(this, `topic-${topic}`, {
        name: naming.name("security", topic),
        displayName: `${naming.prefix} security ${topic}`,
        kmsMasterKeyId: this.key.keyArn,
      });
      const topicPolicy = new SnsTopicPolicy(this, `topic-policy-${topic}`, {
        arn: snsTopic.arn,
        policy: policyDocument([
          {
            Sid: "AllowAccountIamToManageTopic",
            Principal: { AWS: context.accountRootArn },
            Action: ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            Resource: snsTopic.arn,
          },
          {
            Sid: "AllowFindingRulesToPublish",
            Principal: { Service: EVENTBRIDGE_SERVICE },
            Action: "SNS:Publish",
            Resource: snsTopic.arn,
            Condition: { ArnEquals: { "aws:SourceArn": sourcesOf(topic).map((source) => ruleArn(source, topic)) } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "SNS:*",
            Resource: snsTopic.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      });
      topicArns[topic] = topicPolicy.arn;

      for (const source of sourcesOf(topic)) {
        // GuardDuty's rules keep their first ids (`rule-<topic>`) so existing ones are not replaced.
        const id = source === "guardduty" ? topic : `${source}-${topic}`;
        const rule = new CloudwatchEventRule(this, `rule-${id}`, {
          name: ruleName(source, topic),
          description: `${routeLabel(source, topic)} → ${naming.name("security", topic)}`,
          eventPattern: JSON.stringify(findingPattern(source, topic)),
        });
        new CloudwatchEventTarget(this, `target-${id}`, { rule: rule.name, targetId: "sns", arn: topicArns[topic] });
        routes[source][topic] = rule;
      }
      for (const address of props.emailSubscribers?.[topic] ?? []) {
        new SnsTopicSubscription(this, `email-${topic}-${address}`, { topicArn: topicArns[topic], protocol: "email", endpoint: address });
      }
    }
    if (props.pagerDutyUrlParameter) {
      new SnsTopicSubscription(this, "pagerduty", {
        topicArn: topicArns.critical,
        protocol: "https",
        endpoint: new DataAwsSsmParameter(this, "pagerduty-url", { name: props.pagerDutyUrlParameter, withDecryption: true }).value,
        endpointAutoConfirms: true,
      });
    }
    this.topicArns = topicArns;
    this.routes = routes;
    this.rules = routes.guardduty as Record<FindingTopic, CloudwatchEventRule>;
  }
}
