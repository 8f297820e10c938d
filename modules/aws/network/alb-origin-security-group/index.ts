import { Construct } from "constructs";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Naming } from "../../../shared/naming";

/** The AWS-managed prefix list of CloudFront's origin-facing addresses (the only senders an origin behind CloudFront should admit). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/** The ALB listener port CloudFront connects to. */
export const ALB_HTTPS_PORT = 443;

export interface AlbOriginSecurityGroupProps {
  /** Names the group `aivo-<env>-alb-origin`. */
  readonly naming: Naming;
  /** The VPC of the ALB. */
  readonly vpcId: string;
  /** The security group of the ALB's targets (the EKS node security group: IP targets are pods). */
  readonly targetSecurityGroupId: string;
}

/**
 * The security group of the platform's public ALB: HTTPS in from CloudFront's origin-facing prefix
 * list only, so the origin can't be reached around CloudFront and its WAF; out only to the targets'
 * security group. Give its id to the Ingress (`alb.ingress.kubernetes.io/security-groups`) with
 * `alb.ingress.kubernetes.io/manage-backend-security-group-rules: "true"`.
 *
 * The prefix list counts as ~55 rules against the group's rule quota (60 by default).
 */
export class AlbOriginSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
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
      egress: [],
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
  }
}
