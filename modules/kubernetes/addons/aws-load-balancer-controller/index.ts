import { Construct } from "constructs";
import { AwsContext } from "../../../shared/aws-context";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CONTROLLER_NODE_SELECTOR, IRSA_ROLE_ANNOTATION, OUTSIDE_EXEMPT_NAMESPACES, WEBHOOK_EXEMPT_NAMESPACES } from "../../platform";
import { loadBalancerControllerStatements } from "./iam-policy";

export { LBC_CLUSTER_TAG, loadBalancerControllerStatements } from "./iam-policy";

/** The controller's service account (kube-system). */
export const LBC_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The Service mutating webhook's failure policy in the namespaces it sees (see the chart values in the construct). */
export const LBC_SERVICE_WEBHOOK_FAILURE_POLICY = "Fail";
/** The port of its admission webhook on the pods (chart `webhookBindPort`), open from the control plane. */
export const LBC_WEBHOOK_PORT = 9443;

/**
 * The AWS Load Balancer Controller: IRSA role with the upstream policy scoped to this cluster's tag
 * (`iam-policy.ts`), and the chart with the cluster name, region and VPC set (no instance metadata
 * lookups), on the managed `general` nodes, with a PodDisruptionBudget. Install it first: its
 * webhook mutates every Service created after it.
 */
export class AwsLoadBalancerController extends Construct {
  readonly role: ServiceAccountRole;
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: ControllerAddOnProps) {
    super(scope, id);
    const { cluster } = props;
    const context = AwsContext.of(this);
    this.role = new ServiceAccountRole(this, "role", {
      naming: cluster.naming,
      name: "eks-aws-load-balancer-controller",
      description: `AWS Load Balancer Controller of ${cluster.clusterName}`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      namespace: props.chart.namespace,
      serviceAccount: LBC_SERVICE_ACCOUNT,
      statements: loadBalancerControllerStatements({
        partition: context.partition,
        region: cluster.region,
        accountId: context.accountId,
        clusterName: cluster.clusterName,
        vpcId: cluster.vpcId,
      }),
    });
    const replicas = props.replicas ?? 2;
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: [{ name: "controller", replicas, nodeSelector: CONTROLLER_NODE_SELECTOR }],
      defaultValues: {
        clusterName: cluster.clusterName,
        region: cluster.region,
        vpcId: cluster.vpcId,
        replicaCount: replicas,
        serviceAccount: { create: true, name: LBC_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: this.role.roleArn } },
        podDisruptionBudget: { maxUnavailable: 1 },
        nodeSelector: { ...CONTROLLER_NODE_SELECTOR },
        webhookBindPort: LBC_WEBHOOK_PORT,
        enableServiceMutatorWebhook: true,
        // The Service mutator (mservice) has no namespace selector unless given one (chart 3.5.0,
        // templates/webhook.yaml: `serviceMutatorWebhookConfig.namespaceSelectors`), so it would see every
        // Service of the cluster and, failing closed, an LB controller outage would block them all,
        // kube-system's included. It skips the cluster's and the controllers' namespaces and keeps failing
        // closed in the application namespaces: a LoadBalancer Service created there while the controller
        // is down must not get the in-tree controller's load balancer instead. The pod webhooks are opt-in
        // per namespace label (their default namespaceSelector); the Ingress validator skips the same
        // namespaces; the TargetGroupBinding and IngressClassParams webhooks gate only this controller's
        // own resource types.
        serviceMutatorWebhookConfig: {
          failurePolicy: LBC_SERVICE_WEBHOOK_FAILURE_POLICY,
          namespaceSelectors: [{ ...OUTSIDE_EXEMPT_NAMESPACES, values: [...WEBHOOK_EXEMPT_NAMESPACES] }],
        },
        webhookConfig: { ingressValidationNamespaceSelector: { matchExpressions: [{ ...OUTSIDE_EXEMPT_NAMESPACES, values: [...WEBHOOK_EXEMPT_NAMESPACES] }] } },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
