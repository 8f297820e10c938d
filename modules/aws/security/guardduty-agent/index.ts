import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument } from "../../../shared/iam";
import type { Naming } from "../../../shared/naming";
import type { PodGroup } from "../../../kubernetes/capacity/pods";

export { GUARDDUTY_AGENT_ADDON, GUARDDUTY_AGENT_NAMESPACE, GUARDDUTY_DATA_SERVICE } from "./names";
import { GUARDDUTY_AGENT_ADDON, GUARDDUTY_AGENT_NAMESPACE, GUARDDUTY_DATA_SERVICE } from "./names";

/** The agent's pods: one per node, every node (it tolerates every taint), for the capacity check. */
export const GUARDDUTY_AGENT_PODS: readonly PodGroup[] = [
  { name: "aws-guardduty-agent", daemonSet: true, tolerations: [{ operator: "Exists" }], namespace: GUARDDUTY_AGENT_NAMESPACE },
];

export interface GuardDutyAgentProps {
  /** Names the endpoint's security group `aivo-<env>-guardduty-data`. */
  readonly naming: Naming;
  /** The VPC's region (the endpoint's service name `com.amazonaws.<region>.guardduty-data`). */
  readonly region: string;
  /** The cluster (a reference, so the add-on follows it). */
  readonly clusterName: string;
  readonly vpcId: string;
  /** The VPC's CIDRs: the only sources of HTTPS the endpoint admits (nodes and pods). */
  readonly vpcCidrs: readonly string[];
  /** The private subnets, one endpoint interface in each. */
  readonly subnetIds: readonly string[];
  /** The add-on waits for these (the node groups: its DaemonSet needs nodes). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Pinned add-on version. @default the version EKS picks for the cluster */
  readonly addonVersion?: string;
}

/**
 * GuardDuty EKS Runtime Monitoring's agent, managed here instead of by GuardDuty (the account turns
 * automated agent management off, modules/aws/security/threat-detection): the `guardduty-data`
 * interface endpoint with private DNS (the agent's prerequisite, "Managing security agent manually",
 * GuardDuty user guide), its security group (HTTPS from the VPC), and the `aws-guardduty-agent` EKS
 * add-on. Both are in this stack's state, so `cdktf destroy` removes them before the VPC: with
 * automated management, GuardDuty's own endpoint and security group would stay and the VPC deletion
 * would fail with DependencyViolation ("Using Infrastructure as Code with GuardDuty automated security
 * agents", GuardDuty user guide).
 */
export class GuardDutyAgent extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly endpoint: VpcEndpoint;
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: GuardDutyAgentProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    const name = props.naming.name(GUARDDUTY_DATA_SERVICE);
    this.securityGroup = new SecurityGroup(this, "endpoint-sg", {
      name,
      description: `GuardDuty runtime events endpoint of ${props.naming.prefix}: HTTPS from the VPC only`,
      vpcId: props.vpcId,
      egress: [],
      revokeRulesOnDelete: true,
      tags: { Name: name },
    });
    props.vpcCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `https-from-vpc-${i}`, {
        securityGroupId: this.securityGroup.id,
        description: "HTTPS from the VPC (the GuardDuty agent on every node)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });
    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.${GUARDDUTY_DATA_SERVICE}`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [this.securityGroup.id],
      // The user guide's endpoint policy: callers of this account only.
      policy: policyDocument([
        { Sid: "AllowThisAccount", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
        {
          Sid: "DenyOtherAccounts",
          Effect: "Deny",
          Principal: "*",
          Action: "*",
          Resource: "*",
          Condition: { StringNotEquals: { "aws:PrincipalAccount": context.accountId } },
        },
      ]),
      tags: { Name: name },
    });
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: GUARDDUTY_AGENT_ADDON,
      ...(props.addonVersion ? { addonVersion: props.addonVersion } : {}),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: [this.endpoint, ...(props.dependsOn ?? [])],
    });
  }
}
