import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { AwsContext } from "../../../shared/aws-context";
import { EksNodeRole } from "../eks-node-role";
import { PolicyStatement, policyDocument } from "../../../shared/iam";
import { ServiceAccountRole } from "../irsa-role";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/**
 * Tag key Karpenter discovers subnets and security groups by (`EC2NodeClass` selector terms); the value
 * is the cluster name. The EKS module tags the node security group; the network module tags the
 * private subnets with it.
 */
export const KARPENTER_DISCOVERY_TAG_KEY = "karpenter.sh/discovery";
/** Namespace the Karpenter controller runs in (the infrastructure document's `karpenter` namespace). */
export const KARPENTER_NAMESPACE = "karpenter";
/** Service account of the Karpenter controller (the Helm chart's default). */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
/**
 * The controller's metrics port (chart `controller.metrics.port`, set explicitly so the security-group
 * rule that lets Prometheus scrape it on Fargate names the same port).
 */
export const KARPENTER_METRICS_PORT = 8080;
/**
 * The Karpenter release (Helm chart `oci://public.ecr.aws/karpenter/karpenter`) the platform runs; the
 * Kubernetes add-ons stack pins the chart to it. The controller policy and the interruption rules
 * below follow that release's reference CloudFormation template.
 */
export const KARPENTER_VERSION = "1.14.1";

/**
 * The Karpenter minor release whose reference IAM and EventBridge setup
 * (`website/content/en/v<minor>/getting-started/getting-started-with-karpenter/cloudformation.yaml` in
 * aws/karpenter-provider-aws) the policy and rules of this module were last compared with. A test
 * fails when `KARPENTER_VERSION` moves to another minor without this being reviewed and bumped.
 * What changed after 1.9: 1.10 the capacity-reservation interruption rule; 1.11
 * `ec2:DescribePlacementGroups` and `placement-group/*` launches; 1.12 `ec2:DescribeInstanceStatus`
 * and `arc-zonal-shift:GetManagedResource`. 1.13 and 1.14 changed neither.
 */
export const KARPENTER_IAM_REVIEWED_FOR = "1.14";

/** The EventBridge events Karpenter handles from its interruption queue, keyed by rule name suffix. */
export const KARPENTER_INTERRUPTION_EVENTS = {
  "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  "rebalance-recommendation": { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  // Since Karpenter 1.10: ODCR capacity reclaimed (interruptible capacity reservations).
  "capacity-reservation": { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
} as const;

/** Seconds an interruption message is kept: older notices are stale (a spot warning gives two minutes). */
const QUEUE_RETENTION_SECONDS = 300;

export interface KarpenterPrerequisitesProps {
  /** Names the roles, queue and rules `aivo-<env>-eks-karpenter-…`. */
  readonly naming: Naming;
  /**
   * The cluster's name; pass the cluster resource's `name` attribute so the access entry and the
   * policies (whose tag conditions contain it) are created after the cluster.
   */
  readonly clusterName: string;
  /** The cluster ARN (`eks:DescribeCluster` is scoped to it). */
  readonly clusterArn: string;
  /** The cluster's IAM OIDC provider ARN. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /**
   * Further statements for the controller role, e.g. use of the CMK that encrypts node volumes
   * (EC2 checks the caller's KMS permissions when `CreateFleet` launches encrypted volumes). @default none
   */
  readonly additionalControllerStatements?: readonly PolicyStatement[];
}

/**
 * What Karpenter (v1) needs from AWS before its Helm chart is installed:
 * - the controller role (IRSA for `karpenter/karpenter`) with a policy scoped by the cluster's tags;
 * - the node role and its `EC2_LINUX` access entry (Karpenter v1 creates and tags the instance profile
 *   itself from `EC2NodeClass.spec.role`, so none is created here);
 * - the interruption queue (SSE with its own CMK, TLS-only) and the five EventBridge rules feeding it
 *   (`KARPENTER_INTERRUPTION_EVENTS`), as of `KARPENTER_VERSION`.
 */
export class KarpenterPrerequisites extends Construct {
  /** The controller's IRSA role (escape hatch). */
  readonly controllerRole: ServiceAccountRole;
  /** ARN for the chart's `serviceAccount.annotations."eks.amazonaws.com/role-arn"`. */
  readonly controllerRoleArn: string;
  /** The node role (escape hatch). */
  readonly nodeRole: EksNodeRole;
  /** ARN of the role Karpenter-launched nodes run with. */
  readonly nodeRoleArn: string;
  /** Name of the node role, for `EC2NodeClass.spec.role`. */
  readonly nodeRoleName: string;
  /** The interruption queue (escape hatch). */
  readonly queue: SqsQueue;
  /** Queue name, for the chart's `settings.interruptionQueue`. */
  readonly queueName: string;
  /** Queue ARN. */
  readonly queueArn: string;
  /** The EventBridge rules, keyed like `KARPENTER_INTERRUPTION_EVENTS`. */
  readonly rules: Record<keyof typeof KARPENTER_INTERRUPTION_EVENTS, CloudwatchEventRule>;

  constructor(scope: Construct, id: string, props: KarpenterPrerequisitesProps) {
    super(scope, id);
    const { naming, clusterName } = props;
    const context = AwsContext.of(this);

    // Node role + access entry: nodes Karpenter launches join the cluster as EC2_LINUX nodes.
    this.nodeRole = new EksNodeRole(this, "node-role", {
      naming,
      name: "eks-karpenter-node",
      description: `Nodes launched by Karpenter in ${clusterName}`,
    });
    new EksAccessEntry(this, "node-access-entry", {
      clusterName,
      principalArn: this.nodeRole.roleArn,
      type: "EC2_LINUX",
    });

    // Interruption queue, encrypted with its own CMK. EventBridge sends with `events.amazonaws.com`'s
    // identity, so the key policy grants that principal the data-key actions SQS needs on its behalf.
    const queueKey = new CustomerManagedKey(this, "queue-key", {
      naming,
      purpose: "eks-karpenter-queue",
      description: `Karpenter interruption queue of ${clusterName}`,
      serviceGrants: [{ service: "events.amazonaws.com", actions: ["kms:GenerateDataKey", "kms:Decrypt"] }],
    });
    this.queue = new SqsQueue(this, "queue", {
      name: naming.name("eks", "karpenter"),
      messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
      kmsMasterKeyId: queueKey.keyArn,
    });
    this.queueName = this.queue.name;
    this.queueArn = this.queue.arn;

    const rules = {} as Record<keyof typeof KARPENTER_INTERRUPTION_EVENTS, CloudwatchEventRule>;
    for (const [key, pattern] of Object.entries(KARPENTER_INTERRUPTION_EVENTS) as [
      keyof typeof KARPENTER_INTERRUPTION_EVENTS,
      (typeof KARPENTER_INTERRUPTION_EVENTS)[keyof typeof KARPENTER_INTERRUPTION_EVENTS],
    ][]) {
      const rule = new CloudwatchEventRule(this, `rule-${key}`, {
        name: naming.name("eks", "karpenter", key),
        description: `Karpenter interruption handling for ${clusterName}: ${pattern["detail-type"][0]}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `target-${key}`, {
        rule: rule.name,
        targetId: "KarpenterInterruptionQueue",
        arn: this.queue.arn,
      });
      rules[key] = rule;
    }
    this.rules = rules;

    new SqsQueuePolicy(this, "queue-policy", {
      queueUrl: this.queue.url,
      policy: policyDocument([
        {
          Sid: "AllowInterruptionRules",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: this.queue.arn,
          Condition: { ArnEquals: { "aws:SourceArn": Object.values(rules).map((r) => r.arn) } },
        },
        {
          // As in Karpenter's reference CloudFormation template: SQS itself may move messages.
          Sid: "AllowSqsService",
          Principal: { Service: "sqs.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: this.queue.arn,
        },
        {
          Sid: "DenyNonTlsAccess",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: this.queue.arn,
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
      ]),
    });

    this.controllerRole = new ServiceAccountRole(this, "controller-role", {
      naming,
      name: "eks-karpenter-controller",
      description: `Karpenter controller of ${clusterName}`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      statements: [
        ...karpenterControllerStatements({
          context,
          clusterName,
          clusterArn: props.clusterArn,
          nodeRoleArn: this.nodeRole.roleArn,
          queueArn: this.queue.arn,
          queueKeyArn: queueKey.keyArn,
        }),
        ...(props.additionalControllerStatements ?? []),
      ],
    });
    this.controllerRoleArn = this.controllerRole.roleArn;
    this.nodeRoleArn = this.nodeRole.roleArn;
    this.nodeRoleName = this.nodeRole.roleName;
  }
}

/**
 * The Karpenter controller policy of `KARPENTER_IAM_REVIEWED_FOR` (after the project's reference
 * CloudFormation template): EC2
 * launch/terminate only on resources tagged for this cluster and a NodePool, `iam:PassRole` only for the
 * Karpenter node role and only to EC2, instance-profile management only for profiles tagged for this
 * cluster, the interruption queue (and its key, via SQS), read-only EC2/SSM/pricing lookups, and
 * `eks:DescribeCluster` on this cluster.
 */
function karpenterControllerStatements(p: {
  context: AwsContext;
  clusterName: string;
  clusterArn: string;
  nodeRoleArn: string;
  queueArn: string;
  queueKeyArn: string;
}): PolicyStatement[] {
  const { context, clusterName } = p;
  const ec2 = (resource: string, account = "*") =>
    `arn:${context.partition}:ec2:${context.region}:${account}:${resource}`;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const launched = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(
    (r) => ec2(r),
  );
  const instanceProfiles = `arn:${context.partition}:iam::${context.accountId}:instance-profile/*`;
  return [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: [
        ec2("image/*", ""),
        ec2("snapshot/*", ""),
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
        ec2("placement-group/*"),
      ],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: ec2("launch-template/*"),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Resource: launched,
      Condition: {
        StringEquals: { [`aws:RequestTag/${clusterTag}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": clusterName },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Action: "ec2:CreateTags",
      Resource: launched,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Action: "ec2:CreateTags",
      Resource: ec2("instance/*"),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowRegionalReadActions",
      Action: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": context.region } },
    },
    {
      Sid: "AllowSSMReadActions",
      Action: "ssm:GetParameter",
      Resource: `arn:${context.partition}:ssm:${context.region}::parameter/aws/service/*`,
    },
    { Sid: "AllowPricingReadActions", Action: "pricing:GetProducts", Resource: "*" },
    {
      Sid: "AllowInterruptionQueueActions",
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      Resource: p.queueArn,
    },
    {
      Sid: "AllowInterruptionQueueDecryption",
      Action: "kms:Decrypt",
      Resource: p.queueKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${context.region}.amazonaws.com` } },
    },
    {
      Sid: "AllowPassingInstanceRole",
      Action: "iam:PassRole",
      Resource: p.nodeRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Action: "iam:CreateInstanceProfile",
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": context.region,
        },
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Action: "iam:TagInstanceProfile",
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": context.region,
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": context.region,
        },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": context.region,
        },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowInstanceProfileReadActions",
      Action: "iam:GetInstanceProfile",
      Resource: instanceProfiles,
    },
    { Sid: "AllowUnscopedInstanceProfileListAction", Action: "iam:ListInstanceProfiles", Resource: "*" },
    { Sid: "AllowAPIServerEndpointDiscovery", Action: "eks:DescribeCluster", Resource: p.clusterArn },
    {
      // Karpenter avoids an AZ under an ARC zonal shift of this cluster.
      Sid: "AllowZonalShiftStatusReadOnly",
      Action: "arc-zonal-shift:GetManagedResource",
      Resource: "*",
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": p.clusterArn } },
    },
  ];
}
