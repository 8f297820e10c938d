import { Construct } from "constructs";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { CONTROLLER_NODE_SELECTOR } from "../../platform";

/** The metrics API server's port on the pods (the chart's `containerPort`), open from the control plane. */
export const METRICS_SERVER_PORT = 10250;

/** metrics-server (the `metrics.k8s.io` API for HPA/VPA and `kubectl top`), replicated with a PodDisruptionBudget. */
export class MetricsServer extends Construct {
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: Omit<ControllerAddOnProps, "cluster">) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: [{ name: "metrics-server", replicas, nodeSelector: CONTROLLER_NODE_SELECTOR }],
      defaultValues: {
        replicas,
        containerPort: METRICS_SERVER_PORT,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        nodeSelector: { ...CONTROLLER_NODE_SELECTOR },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
