import { Construct } from "constructs";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { CONTROLLER_NODE_SELECTOR, HelmChart, KUBE_SYSTEM_NAMESPACE, NAMESPACES, OUTSIDE_EXEMPT_NAMESPACES, WEBHOOK_EXEMPT_NAMESPACES } from "../../platform";
import { GUARDDUTY_AGENT_NAMESPACE } from "../../../aws/security/guardduty-agent/names";

/**
 * Namespaces the pod-security policies skip: the cluster's own, Kyverno's, those whose pods need host
 * access (see `NAMESPACES`), and the GuardDuty agent's (its DaemonSet, installed by the EKS add-on
 * `aws-guardduty-agent`, needs host PID and eBPF; the platform does not choose its pod spec).
 */
export const POLICY_EXCLUDED_NAMESPACES: readonly string[] = [
  KUBE_SYSTEM_NAMESPACE,
  NAMESPACES.kyverno.name,
  GUARDDUTY_AGENT_NAMESPACE,
  ...Object.values(NAMESPACES).filter((n) => n.podSecurity === "privileged").map((n) => n.name),
];

export interface KyvernoProps extends ControllerAddOnProps {
  /** The kyverno-policies chart (the Pod Security Standards as Kyverno policies). */
  readonly policiesChart: HelmChart;
  /** `Audit` reports violations, `Enforce` rejects them. */
  readonly policyAction: "Audit" | "Enforce";
}

/**
 * Kyverno (admission, background, cleanup and reports controllers) and the `restricted` Pod Security
 * Standard from the kyverno-policies chart, in `Audit` or `Enforce`, for every namespace except
 * `POLICY_EXCLUDED_NAMESPACES`. The policies come through Helm, so nothing needs Kyverno's CRDs at plan time.
 */
export class Kyverno extends Construct {
  readonly addOn: HelmAddOn;
  readonly policies: HelmAddOn;

  constructor(scope: Construct, id: string, props: KyvernoProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const controller = { replicas, nodeSelector: { ...CONTROLLER_NODE_SELECTOR } };
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: ["admission", "background", "cleanup", "reports"].map((name) => ({ name: `${name}-controller`, replicas, nodeSelector: CONTROLLER_NODE_SELECTOR })),
      defaultValues: {
        // Three admission replicas is Kyverno's HA recommendation; two survive a drain with a PDB.
        admissionController: { ...controller, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 } },
        backgroundController: controller,
        cleanupController: controller,
        reportsController: controller,
        // Replaces the chart's default selector (kube-system only); the chart adds its own namespace too.
        // Kyverno's fail-closed policies so gate the application namespaces only (see WEBHOOK_EXEMPT_NAMESPACES).
        config: {
          excludeKyvernoNamespace: true,
          webhooks: { namespaceSelector: { matchExpressions: [{ ...OUTSIDE_EXEMPT_NAMESPACES, values: [...WEBHOOK_EXEMPT_NAMESPACES] }] } },
        },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
    this.policies = new HelmAddOn(this, "policies", {
      where: `${props.where}.policies`,
      chart: props.policiesChart,
      pods: [],
      defaultValues: {
        podSecurityStandard: "restricted",
        validationFailureAction: props.policyAction,
        vpolExclude: { excludeNamespaces: [...POLICY_EXCLUDED_NAMESPACES] },
      },
      dependsOn: [this.addOn.release],
    });
  }
}
