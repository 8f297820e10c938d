import { PolicyStatement } from "../../../shared/iam";

/** The tag the controller puts on every load balancer, target group and security group it creates; value: the cluster name. */
export const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * The AWS Load Balancer Controller's IAM policy: upstream `docs/install/iam_policy.json` (v3.5), with
 * every mutating action on existing resources conditioned on `elbv2.k8s.aws/cluster` equal to THIS
 * cluster's name (upstream only requires the tag to exist, which would let one cluster's controller
 * change another's load balancers), creation conditioned on the request carrying that tag, and
 * security-group rule changes limited to this VPC.
 */
export function loadBalancerControllerStatements(args: { partition: string; region: string; accountId: string; clusterName: string; vpcId: string }): PolicyStatement[] {
  const { partition, region, accountId, clusterName, vpcId } = args;
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${accountId}:${resource}`;
  const sgArn = `arn:${partition}:ec2:${region}:${accountId}:security-group/*`;
  const ours = { StringEquals: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: clusterName } };
  const tagsOurs = { StringEquals: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: clusterName } };
  const loadBalancersAndTargetGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
  return [
    {
      Sid: "CreateElbServiceLinkedRole",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Describe",
      Action: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Sid: "CertificatesWafShield",
      Action: [
        "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
        "iam:GetServerCertificate", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: "*",
    },
    {
      // Backend rules on the node security group (not tagged by the controller): in this VPC only.
      Sid: "SecurityGroupRulesInThisVpc",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: sgArn,
      Condition: { ArnEquals: { "ec2:Vpc": `arn:${partition}:ec2:${region}:${accountId}:vpc/${vpcId}` } },
    },
    { Sid: "CreateSecurityGroup", Action: "ec2:CreateSecurityGroup", Resource: "*" },
    {
      Sid: "TagNewSecurityGroups",
      Action: "ec2:CreateTags",
      Resource: sgArn,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: clusterName } },
    },
    {
      Sid: "RetagOwnSecurityGroups",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: sgArn,
      Condition: { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "true" }, ...ours },
    },
    {
      Sid: "ManageOwnSecurityGroups",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: "*",
      Condition: ours,
    },
    {
      Sid: "CreateTaggedLoadBalancers",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: tagsOurs,
    },
    {
      Sid: "ListenersAndRules",
      Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
      Resource: "*",
    },
    {
      Sid: "RetagOwnLoadBalancers",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: loadBalancersAndTargetGroups,
      Condition: { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "true" }, ...ours },
    },
    {
      Sid: "TagListenersAndRules",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
    },
    {
      Sid: "ModifyOwnLoadBalancers",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: "*",
      Condition: ours,
    },
    {
      Sid: "TagOnCreate",
      Action: "elasticloadbalancing:AddTags",
      Resource: loadBalancersAndTargetGroups,
      Condition: {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: clusterName },
      },
    },
    {
      Sid: "RegisterTargets",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: elb("targetgroup/*/*"),
    },
    {
      Sid: "ListenerSettings",
      Action: [
        "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: "*",
    },
  ];
}
