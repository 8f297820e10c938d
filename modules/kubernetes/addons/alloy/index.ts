import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddOn, HelmValues } from "../../helm-addon";
import { HELM_CHARTS } from "../../platform";
import { TOLERATE_ALL } from "../../capacity/pods";

/** The labels every log line carries in Loki (besides `cluster`). */
export const LOG_LABELS = ["namespace", "pod", "container", "node"] as const;

/**
 * The Alloy pipeline (Alloy configuration syntax): discover the pods of this node, label them with
 * namespace, pod, container and node, tail their files under `/var/log/pods`, parse the CRI format and
 * push to Loki. Each DaemonSet pod reads only its own node's pods (field selector on `NODE_NAME`).
 */
export function alloyPipeline(lokiPushUrl: string, cluster: string): string {
  return `discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("NODE_NAME")
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_node_name"]
    target_label  = "node"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "__path__"
    replacement   = "/var/log/pods/*$1/*.log"
  }
}

local.file_match "pods" {
  path_targets = discovery.relabel.pods.output
}

loki.source.file "pods" {
  targets    = local.file_match.pods.targets
  forward_to = [loki.process.pods.receiver]
}

loki.process "pods" {
  stage.cri {}
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${lokiPushUrl}"
  }
  external_labels = {
    cluster = "${cluster}",
  }
}
`;
}

export interface AlloyLogShipperProps {
  /** Where the settings live, e.g. `production.observability.logShipping`. */
  readonly where: string;
  /** Loki's push endpoint. */
  readonly lokiPushUrl: string;
  /** The cluster name, the `cluster` label of every line. */
  readonly clusterName: string;
  /** What must exist first (Loki's release). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Grafana Alloy as a DaemonSet shipping every pod's logs to Loki (it replaces Promtail, end of life
 * on 2026-03-02). It reads `/var/log/pods` from the host, hence the privileged `monitoring` namespace.
 */
export class AlloyLogShipper extends Construct {
  /** The Helm release. */
  readonly addOn: HelmAddOn;
  /** The pipeline the release runs. */
  readonly pipeline: string;

  constructor(scope: Construct, id: string, props: AlloyLogShipperProps) {
    super(scope, id);
    this.pipeline = alloyPipeline(props.lokiPushUrl, props.clusterName);
    const values: HelmValues = {
      // Every node's pods ship logs, the tainted pools' (spot, memory, monitoring, high-IOPS, GPU) too.
      controller: { type: "daemonset", tolerations: [{ operator: "Exists" }] },
      alloy: {
        configMap: { create: true, content: this.pipeline },
        mounts: { varlog: true },
        extraEnv: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
      },
    };
    this.addOn = new HelmAddOn(this, "release", { where: props.where, chart: HELM_CHARTS.alloy, pods: [{ name: "alloy", daemonSet: true, tolerations: TOLERATE_ALL }], defaultValues: values, dependsOn: props.dependsOn });
  }
}
