import { Construct } from "constructs";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { NODE_METADATA_HOP_LIMIT, NODE_ROOT_DEVICE, NODE_TYPE_LABEL, WORKLOAD_TYPE_TAINT_KEY } from "../../../aws/compute/eks";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../../../aws/compute/karpenter-prerequisites";
import { KubernetesManifest } from "../../manifest";
import type { DisruptionBudget, KarpenterSettings, NodePoolSettings } from "../../platform/settings";
import { WorkingHours, utcWindow } from "../../../shared/schedule";

/** The EC2NodeClass every NodePool uses. */
export const NODE_CLASS_NAME = "default";
/** Root volume of Karpenter nodes, GiB. */
export const KARPENTER_ROOT_VOLUME_GIB = 50;

export interface KarpenterNodePoolsProps {
  /** Config path, e.g. `production.kubernetes.karpenter`. */
  readonly where: string;
  /** The cluster name: the discovery tag value of its subnets and node security group. */
  readonly clusterName: string;
  /** The node role (name) Karpenter's nodes get (`KarpenterPrerequisites.nodeRoleName`). */
  readonly nodeRoleName: string;
  /** The CMK of node root volumes. */
  readonly ebsKmsKeyArn: string;
  /** The pools and AMI from the environment config. */
  readonly settings: KarpenterSettings;
  /**
   * Working hours of an environment that scales down outside them (`offHours`): the pools get
   * `offHoursDisruptionBudget`. @default none (no schedule-aware budget)
   */
  readonly offHours?: WorkingHours;
}

/**
 * The schedule-aware budget of an environment that scales down at night: during working hours no
 * node is disrupted for being underutilized (no consolidation churn under people's feet); outside
 * them the pool's other budgets apply, so Karpenter repacks and removes nodes while the managed node
 * groups are at their minimum. Karpenter reads schedules in UTC: the window covers the local hours in
 * summer and winter time.
 */
export function offHoursDisruptionBudget(hours: WorkingHours): DisruptionBudget {
  const window = utcWindow(hours);
  return { nodes: "0", reasons: ["Underutilized"], schedule: window.cron, duration: `${window.durationHours}h` };
}

/**
 * Karpenter's `EC2NodeClass` (AMI alias from the config, subnets and security groups by the
 * `karpenter.sh/discovery` tag, IMDSv2 with hop limit 2, encrypted gp3 root volume under the EBS CMK)
 * and two NodePools: `general` (on-demand) and `spot` (tainted `workload-type=spot`, like the managed
 * spot group), each with CPU/memory limits and disruption budgets from the config.
 */
export class KarpenterNodePools extends Construct {
  readonly nodeClass: KubernetesManifest;
  readonly nodePools: Record<"general" | "spot", KubernetesManifest>;

  constructor(scope: Construct, id: string, props: KarpenterNodePoolsProps) {
    super(scope, id);
    const discovery = { [KARPENTER_DISCOVERY_TAG_KEY]: props.clusterName };
    this.nodeClass = new KubernetesManifest(this, "node-class", {
      where: `${props.where}.nodeClass`,
      object: new EC2NodeClass({
        metadata: { name: NODE_CLASS_NAME },
        spec: {
          role: props.nodeRoleName,
          amiSelectorTerms: [{ alias: props.settings.amiAlias }],
          subnetSelectorTerms: [{ tags: discovery }],
          securityGroupSelectorTerms: [{ tags: discovery }],
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: NODE_METADATA_HOP_LIMIT, httpProtocolIPv6: "disabled" },
          blockDeviceMappings: [
            {
              deviceName: NODE_ROOT_DEVICE,
              rootVolume: true,
              ebs: { volumeSize: `${KARPENTER_ROOT_VOLUME_GIB}Gi`, volumeType: "gp3", encrypted: true, kmsKeyID: props.ebsKmsKeyArn, deleteOnTermination: true },
            },
          ],
        },
      }),
    });
    const extraBudgets = props.offHours ? [offHoursDisruptionBudget(props.offHours)] : [];
    const pool = (name: "general" | "spot", p: NodePoolSettings) =>
      new KubernetesManifest(this, name, {
        where: `${props.where}.${name}`,
        object: new NodePool({
          metadata: { name },
          spec: {
            template: {
              metadata: { labels: { [NODE_TYPE_LABEL]: `karpenter-${name}` } },
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS_NAME },
                requirements: [
                  { key: "node.kubernetes.io/instance-type", operator: "In", values: [...p.instanceTypes] },
                  { key: "karpenter.sh/capacity-type", operator: "In", values: [name === "spot" ? "spot" : "on-demand"] },
                  { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                ],
                taints: name === "spot" ? [{ key: WORKLOAD_TYPE_TAINT_KEY, value: "spot", effect: "NoSchedule" }] : undefined,
                expireAfter: p.expireAfter ?? "720h",
              },
            },
            limits: { cpu: String(p.cpuLimit), memory: `${p.memoryLimitGiB}Gi` },
            disruption: {
              consolidationPolicy: "WhenEmptyOrUnderutilized",
              consolidateAfter: p.consolidateAfter ?? "1m",
              budgets: [...p.budgets, ...extraBudgets].map((b) => ({ nodes: b.nodes, schedule: b.schedule, duration: b.duration, reasons: b.reasons ? [...b.reasons] : undefined })),
            },
          },
        }),
        dependsOn: [this.nodeClass.resource],
      });
    this.nodePools = { general: pool("general", props.settings.general), spot: pool("spot", props.settings.spot) };
  }
}
