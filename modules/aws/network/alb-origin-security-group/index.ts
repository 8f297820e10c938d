import { Construct } from "constructs";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Naming } from "../../../shared/naming";

/** The AWS-managed prefix list of CloudFront's origin-facing addresses (the only senders an origin behind CloudFront should admit). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/** The AWS-managed prefix list of Route 53's health checkers, in `region` (IPv4). */
export function route53HealthCheckersPrefixList(region: string): string {
  return `com.amazonaws.${region}.route53-healthchecks`;
}
/** The ALB listener port CloudFront connects to. */
export const ALB_HTTPS_PORT = 443;

export interface AlbOriginSecurityGroupProps {
  /** Names the groups `aivo-<env>-alb-origin` and `aivo-<env>-alb-health-checks`. */
  readonly naming: Naming;
  /** The VPC of the ALB. */
  readonly vpcId: string;
  /** The region of the ALB: Route 53's health-checker prefix list is looked up there. */
  readonly region: string;
  /** The security group of the ALB's targets (the EKS node security group: IP targets are pods). */
  readonly targetSecurityGroupId: string;
}

/**
 * The security groups of the platform's public ALB, so the origin can't be reached around CloudFront
 * and its WAF, yet Route 53 can check it:
 * - `aivo-<env>-alb-origin`: HTTPS in from CloudFront's origin-facing prefix list only (about 55 of
 *   the 60 rules a group holds), out only to the targets' security group;
 * - `aivo-<env>-alb-health-checks`: HTTPS in from Route 53's health checkers (their managed prefix
 *   list), no egress — a second group because the first has no room for that list.
 * Give both ids to the Ingress (`alb.ingress.kubernetes.io/security-groups`, comma-separated) with
 * `alb.ingress.kubernetes.io/manage-backend-security-group-rules: "true"`.
 *
 * Egress is managed only by the separate rule resource (no inline `egress`): mixing both gives a
 * perpetual diff (provider docs, `aws_security_group`, "NOTE on Security Groups and Security Group
 * Rules"). Terraform removes the allow-all egress rule AWS adds to a new group.
 */
export class AlbOriginSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  /** The group admitting Route 53's health checkers. */
  readonly healthCheckSecurityGroup: SecurityGroup;
  /** Both groups' ids, CloudFront's first: the Ingress annotation's value. */
  readonly securityGroupIds: readonly string[];
  /** The CloudFront origin-facing prefix list id. */
  readonly prefixListId: string;

  constructor(scope: Construct, id: string, props: AlbOriginSecurityGroupProps) {
    super(scope, id);
    const prefixList = new DataAwsEc2ManagedPrefixList(this, "cloudfront", { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST });
    this.prefixListId = prefixList.id;
    const name = props.naming.name("alb", "origin");
    this.securityGroup = new SecurityGroup(this, "group", {
      name,
      description: `Public ALB of ${props.naming.prefix}: HTTPS from CloudFront only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: name },
    });
    this.securityGroupId = this.securityGroup.id;
    new VpcSecurityGroupIngressRule(this, "https-from-cloudfront", {
      securityGroupId: this.securityGroup.id,
      prefixListId: prefixList.id,
      ipProtocol: "tcp",
      fromPort: ALB_HTTPS_PORT,
      toPort: ALB_HTTPS_PORT,
      description: "HTTPS from CloudFront's origin-facing servers only",
    });
    new VpcSecurityGroupEgressRule(this, "to-targets", {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: props.targetSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 1024,
      toPort: 65535,
      description: "To the ALB's targets (pods and node ports) in the node security group",
    });

    const checkers = new DataAwsEc2ManagedPrefixList(this, "route53-health-checkers", { name: route53HealthCheckersPrefixList(props.region) });
    const healthName = props.naming.name("alb", "health-checks");
    this.healthCheckSecurityGroup = new SecurityGroup(this, "health-checks", {
      name: healthName,
      description: `Public ALB of ${props.naming.prefix}: HTTPS from Route 53 health checkers only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: healthName },
    });
    new VpcSecurityGroupIngressRule(this, "https-from-route53-health-checkers", {
      securityGroupId: this.healthCheckSecurityGroup.id,
      prefixListId: checkers.id,
      ipProtocol: "tcp",
      fromPort: ALB_HTTPS_PORT,
      toPort: ALB_HTTPS_PORT,
      description: "HTTPS from Route 53 health checkers (the origin health check)",
    });
    this.securityGroupIds = [this.securityGroup.id, this.healthCheckSecurityGroup.id];
  }
}
