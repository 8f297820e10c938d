import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddOn, HelmValues, assertReplicas } from "../../helm-addon";
import { CONTROLLER_NODE_SELECTOR } from "../../platform";
import type { HelmChart } from "../../platform";

export interface ArgoRolloutsProps {
  /** Config path, e.g. `production.kubernetes.argoRollouts`; prefixes validation messages. */
  readonly where: string;
  /** The chart (its `HELM_CHARTS` entry). */
  readonly chart: HelmChart;
  /** Controller replicas (leader election picks one). @default 2 */
  readonly replicas?: number;
  /** Values merged over the defaults. @default {} */
  readonly values?: HelmValues;
  /** Releases installed first (the AWS Load Balancer Controller, whose Ingress actions it writes). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Argo Rollouts (argoproj/argo-helm `argo-rollouts`) with its CRDs: runs the services' canaries
 * (`Rollout`, `AnalysisTemplate`), shifting ALB traffic through the AWS Load Balancer Controller's
 * weighted target groups (the `alb.ingress.kubernetes.io/actions.<service>` annotation). On the
 * controllers' nodes, restricted pod security (the chart's defaults: non-root, read-only, no
 * privilege escalation, all capabilities dropped, RuntimeDefault seccomp), no dashboard.
 */
export class ArgoRollouts extends Construct {
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    assertReplicas(props.where, replicas);
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      // The dashboard is off: the controller is the release's only workload.
      pods: [{ name: "controller", replicas, nodeSelector: { ...CONTROLLER_NODE_SELECTOR } }],
      defaultValues: {
        installCRDs: true,
        keepCRDs: true,
        controller: {
          replicas,
          nodeSelector: { ...CONTROLLER_NODE_SELECTOR },
          pdb: { enabled: replicas > 1, minAvailable: 1 },
        },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        dashboard: { enabled: false },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
