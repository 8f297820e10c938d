import { Construct } from "constructs";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { CONTROLLER_NODE_SELECTOR, HelmChart, IRSA_ROLE_ANNOTATION } from "../../platform";
import { KARPENTER_METRICS_PORT, KARPENTER_SERVICE_ACCOUNT } from "../../../aws/compute/karpenter-prerequisites";

/**
 * ENIs Karpenter leaves out of its max-pods calculation with VPC CNI custom networking: the primary
 * ENI holds the node's address only (Karpenter v1.14.1 docs, concepts/nodeclasses.md: "RESERVED_ENIS
 * should be set to "1" if using Custom Networking"). Karpenter then gives each node kubelet
 * `maxPods` = (ENIs − 1) × (IPv4 per ENI − 1) + 2, the managed groups' `customNetworkingMaxPods`.
 */
export const CUSTOM_NETWORKING_RESERVED_ENIS = 1;

export interface KarpenterControllerProps extends ControllerAddOnProps {
  /** The karpenter-crd chart (same version as `chart`); it owns the CRDs, so upgrades update them. */
  readonly crdChart: HelmChart;
  /**
   * The controller runs on Fargate (a profile selects the `karpenter` namespace): no node selector,
   * since Fargate places the pods itself. @default false (the managed `general` nodes)
   */
  readonly onFargate?: boolean;
}

/**
 * Karpenter: the `karpenter-crd` chart (CRDs, upgraded with the release, which Helm's `crds/` directory
 * is not), then the controller (`skip_crds`), running on Fargate or on the managed `general` nodes
 * (never on nodes it provisions), with its IRSA role, cluster name and interruption queue from the EKS module.
 */
export class KarpenterController extends Construct {
  readonly crds: HelmAddOn;
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: KarpenterControllerProps) {
    super(scope, id);
    const { cluster } = props;
    if (!cluster.karpenter) throw new Error(`${props.where}: the cluster has no Karpenter prerequisites; set ${cluster.naming.environment}.eks.karpenter to true`);
    if (props.crdChart.version !== props.chart.version) {
      throw new Error(`${props.where}.version: karpenter ${props.chart.version} and karpenter-crd ${props.crdChart.version} differ; pin both to one version`);
    }
    this.crds = new HelmAddOn(this, "crds", { where: `${props.where}Crd`, chart: props.crdChart, pods: [], dependsOn: props.dependsOn });
    const replicas = props.replicas ?? 2;
    const nodeSelector = { "kubernetes.io/os": "linux", ...(props.onFargate ? {} : CONTROLLER_NODE_SELECTOR) };
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      skipCrds: true,
      pods: [{ name: "controller", replicas, nodeSelector }],
      defaultValues: {
        replicas,
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: cluster.karpenter.controllerRoleArn } },
        settings: {
          clusterName: cluster.clusterName,
          interruptionQueue: cluster.karpenter.queueName,
          // The chart takes it as a string.
          ...(cluster.customNetworking ? { reservedENIs: String(CUSTOM_NETWORKING_RESERVED_ENIS) } : {}),
        },
        nodeSelector,
        // Off by default in the chart (1.14.1): the Karpenter* rules and the nodes dashboard read karpenter_* from it.
        serviceMonitor: { enabled: true },
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
        controller: {
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
          metrics: { port: KARPENTER_METRICS_PORT },
        },
      },
      values: props.values,
      dependsOn: [this.crds.release],
    });
  }
}
