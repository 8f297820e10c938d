import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

export interface ServiceSecurityGroupProps {
  /** Security group name, e.g. `aivo-production-postgres`. */
  readonly name: string;
  /** What the group protects, for its description. */
  readonly description: string;
  /** The VPC the group lives in. */
  readonly vpcId: string;
  /** The one TCP port the service listens on. */
  readonly port: number;
  /**
   * Security groups whose members may connect on `port` (e.g. the EKS node groups). No CIDR is ever
   * allowed. An empty list leaves the service unreachable until a caller is wired in.
   */
  readonly allowedSecurityGroupIds: readonly string[];
}

/**
 * The security group of a private service (database, cache): ingress on exactly one TCP port from
 * exactly the listed security groups, one `aws_vpc_security_group_ingress_rule` each, and no egress
 * (the service never opens connections; `egress = []` also removes the default allow-all rule).
 */
export class ServiceSecurityGroup extends Construct {
  /** The security group resource (escape hatch). */
  readonly securityGroup: SecurityGroup;
  /** The security group id. */
  readonly securityGroupId: string;
  /** One ingress rule per allowed security group, in the order given. */
  readonly ingressRules: readonly VpcSecurityGroupIngressRule[];

  constructor(scope: Construct, id: string, props: ServiceSecurityGroupProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "group", {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      egress: [],
      revokeRulesOnDelete: true,
    });
    this.securityGroupId = this.securityGroup.id;
    // Ids are usually tokens (known after apply), so the rules are keyed by position.
    this.ingressRules = props.allowedSecurityGroupIds.map(
      (sourceId, i) =>
        new VpcSecurityGroupIngressRule(this, `from-${i}`, {
          securityGroupId: this.securityGroup.id,
          description: `${props.description}: TCP ${props.port} from an allowed security group`,
          ipProtocol: "tcp",
          fromPort: props.port,
          toPort: props.port,
          referencedSecurityGroupId: sourceId,
        }),
    );
  }
}
