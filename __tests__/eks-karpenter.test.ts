import { Testing } from "cdktf";
import { AwsContext } from "../modules/shared/aws-context";
import {
  KARPENTER_IAM_REVIEWED_FOR,
  KARPENTER_INTERRUPTION_EVENTS,
  KARPENTER_VERSION,
  KarpenterPrerequisites,
} from "../modules/aws/compute/karpenter-prerequisites";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const CLUSTER = "aivo-production-eks";
const CLUSTER_ARN = "arn:aws:eks:us-east-1:123456789012:cluster/aivo-production-eks";
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";

let karpenter!: KarpenterPrerequisites;
const doc = parse(
  Testing.synthScope((scope) => {
    karpenter = new KarpenterPrerequisites(scope, "karpenter", {
      naming: new Naming("aivo", "production"),
      clusterName: CLUSTER,
      clusterArn: CLUSTER_ARN,
      oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`,
      oidcIssuerUrl: ISSUER,
      additionalControllerStatements: [{ Sid: "Extra", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:123456789012:key/x" }],
    });
    AwsContext.of(scope);
  }),
);
const ref = (type: string, fragment: string, attr: string) =>
  `\${${type}.${Object.keys(resourcesOf(doc, type)).find((id) => id.includes(fragment))}.${attr}}`;
const roles = configsOf(doc, "aws_iam_role");
const controller = roles.find((r) => r.name === "aivo-production-eks-karpenter-controller")!;
const statements = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
const sid = (id: string) => statements.find((s) => s.Sid === id)!;

describe("KarpenterPrerequisites: interruption queue", () => {
  const queue = onlyResource(doc, "aws_sqs_queue");

  it("keeps messages five minutes, encrypted with its own rotating CMK that EventBridge may use", () => {
    expect(queue.name).toBe("aivo-production-eks-karpenter");
    expect(queue.message_retention_seconds).toBe(300);
    expect(queue.kms_master_key_id).toBe(ref("aws_kms_key", "queue-key", "arn"));
    expect(queue.sqs_managed_sse_enabled).toBeUndefined();
    const key = onlyResource(doc, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const events = policy(key.policy).Statement.find((s) => s.Sid === "AllowEvents")!;
    expect(events.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(events.Action).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(onlyResource(doc, "aws_kms_alias").name).toBe("alias/aivo/production/eks-karpenter-queue");
  });

  it("lets only the five rules (and SQS) send, and denies non-TLS access", () => {
    const queuePolicy = onlyResource(doc, "aws_sqs_queue_policy");
    expect(queuePolicy.queue_url).toBe(ref("aws_sqs_queue", "queue", "url"));
    const [rules, sqs, tls] = policy(queuePolicy.policy).Statement;
    expect(rules.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(rules.Action).toBe("sqs:SendMessage");
    expect(rules.Resource).toBe(ref("aws_sqs_queue", "queue", "arn"));
    expect(rules.Condition.ArnEquals["aws:SourceArn"]).toHaveLength(5);
    expect(sqs.Principal).toEqual({ Service: "sqs.amazonaws.com" });
    expect(tls).toEqual({
      Sid: "DenyNonTlsAccess",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: ref("aws_sqs_queue", "queue", "arn"),
      Condition: { Bool: { "aws:SecureTransport": false } },
    });
  });

  it("routes spot interruption, rebalance, instance state change, scheduled change and capacity-reservation events to the queue", () => {
    const rules = configsOf(doc, "aws_cloudwatch_event_rule");
    const patterns = rules.map((r) => JSON.parse(r.event_pattern));
    expect(patterns).toEqual(
      expect.arrayContaining([
        { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
        { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
        { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
        { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
        { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
      ]),
    );
    expect(patterns).toHaveLength(5);
    expect(rules.map((r) => r.name).sort()).toEqual(
      Object.keys(KARPENTER_INTERRUPTION_EVENTS).map((k) => `aivo-production-eks-karpenter-${k}`).sort(),
    );
    const targets = configsOf(doc, "aws_cloudwatch_event_target");
    expect(targets).toHaveLength(5);
    for (const t of targets) expect(t.arn).toBe(ref("aws_sqs_queue", "queue", "arn"));
  });
});

describe("KarpenterPrerequisites: tied to the Karpenter release", () => {
  it("was reviewed against the reference IAM of the pinned release's minor (bump both together)", () => {
    // Failing here means KARPENTER_VERSION moved: compare the controller policy and the rules with
    // that release's cloudformation.yaml and upgrade guide, then set KARPENTER_IAM_REVIEWED_FOR.
    expect(KARPENTER_VERSION).toBe("1.14.1");
    expect(KARPENTER_VERSION.split(".").slice(0, 2).join(".")).toBe(KARPENTER_IAM_REVIEWED_FOR);
  });

  it("has what 1.10-1.12 added: placement groups, instance status, zonal shift of this cluster only", () => {
    expect(sid("AllowScopedEC2InstanceAccessActions").Resource).toContainEqual(expect.stringMatching(/:ec2:[^:]+:\*:placement-group\/\*$/));
    expect(sid("AllowRegionalReadActions").Action).toEqual(
      expect.arrayContaining(["ec2:DescribePlacementGroups", "ec2:DescribeInstanceStatus", "ec2:DescribeCapacityReservations"]),
    );
    expect(sid("AllowZonalShiftStatusReadOnly")).toEqual({
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Action: "arc-zonal-shift:GetManagedResource",
      Resource: "*",
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": CLUSTER_ARN } },
    });
  });
});

describe("KarpenterPrerequisites: roles", () => {
  it("gives the node role the node policies and an EC2_LINUX access entry (no instance profile: Karpenter v1 owns it)", () => {
    const entry = onlyResource(doc, "aws_eks_access_entry");
    expect(entry).toEqual({ cluster_name: CLUSTER, principal_arn: ref("aws_iam_role", "node-role", "arn"), type: "EC2_LINUX" });
    const attached = configsOf(doc, "aws_iam_role_policy_attachment").map((a) => a.policy_arn.split("/").pop());
    expect(attached.sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"]);
    expect(configsOf(doc, "aws_iam_instance_profile")).toHaveLength(0);
    expect(karpenter.nodeRoleName).toMatch(/^\$\{TfToken/);
  });

  it("lets only karpenter/karpenter assume the controller role", () => {
    const trust = policy(controller.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals).toEqual({
      [`${ISSUER}:sub`]: "system:serviceaccount:karpenter:karpenter",
      [`${ISSUER}:aud`]: "sts.amazonaws.com",
    });
  });

  it("scopes launches and deletions to resources tagged for this cluster and a NodePool", () => {
    const create = sid("AllowScopedEC2InstanceActionsWithTags");
    expect(create.Action).toEqual(["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"]);
    expect(create.Condition.StringEquals).toEqual({
      [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
      "aws:RequestTag/eks:eks-cluster-name": CLUSTER,
    });
    expect(create.Condition.StringLike).toEqual({ "aws:RequestTag/karpenter.sh/nodepool": "*" });
    const del = sid("AllowScopedDeletion");
    expect(del.Action).toEqual(["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"]);
    expect(del.Condition.StringEquals).toEqual({ [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned" });
    expect(sid("AllowScopedResourceCreationTagging").Condition.StringEquals["ec2:CreateAction"]).toEqual([
      "RunInstances",
      "CreateFleet",
      "CreateLaunchTemplate",
    ]);
    // No statement allows an EC2 write action on every resource.
    for (const s of statements) {
      const actions = [s.Action].flat() as string[];
      if (s.Resource === "*") expect(actions.every((a) => /^(ec2:Describe|pricing:Get|iam:List|arc-zonal-shift:Get)/.test(a))).toBe(true);
    }
  });

  it("passes only the node role, only to EC2", () => {
    const passRole = statements.filter((s) => [s.Action].flat().includes("iam:PassRole"));
    expect(passRole).toEqual([
      {
        Effect: "Allow",
        Sid: "AllowPassingInstanceRole",
        Action: "iam:PassRole",
        Resource: ref("aws_iam_role", "node-role", "arn"),
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      },
    ]);
  });

  it("reads the queue (and decrypts it through SQS), SSM parameters, prices and its cluster", () => {
    expect(sid("AllowInterruptionQueueActions")).toMatchObject({
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      Resource: ref("aws_sqs_queue", "queue", "arn"),
    });
    expect(sid("AllowInterruptionQueueDecryption")).toMatchObject({ Action: "kms:Decrypt", Resource: ref("aws_kms_key", "queue-key", "arn") });
    expect(sid("AllowSSMReadActions").Resource).toMatch(/:ssm:.*::parameter\/aws\/service\/\*$/);
    expect(sid("AllowPricingReadActions").Action).toBe("pricing:GetProducts");
    expect(sid("AllowAPIServerEndpointDiscovery")).toMatchObject({ Action: "eks:DescribeCluster", Resource: CLUSTER_ARN });
    expect(sid("AllowRegionalReadActions").Condition.StringEquals).toHaveProperty("aws:RequestedRegion");
    expect(statements[statements.length - 1].Sid).toBe("Extra");
  });

  it("manages only instance profiles it tagged for this cluster", () => {
    const create = sid("AllowScopedInstanceProfileCreationActions");
    expect(create.Action).toBe("iam:CreateInstanceProfile");
    expect(create.Condition.StringEquals[`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]).toBe("owned");
    expect(sid("AllowScopedInstanceProfileActions").Condition.StringEquals[`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]).toBe("owned");
  });
});
