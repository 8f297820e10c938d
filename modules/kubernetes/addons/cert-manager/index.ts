import { Construct } from "constructs";
import { AwsContext } from "../../../shared/aws-context";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { PolicyStatement } from "../../../shared/iam";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CONTROLLER_NODE_SELECTOR, IRSA_ROLE_ANNOTATION } from "../../platform";

/** The controller's service account (the chart's default name). */
export const CERT_MANAGER_SERVICE_ACCOUNT = "cert-manager";

/**
 * Route 53 for ACME DNS01: `GetChange` on changes, `ListHostedZonesByName` to find the zone, and record
 * changes on the given zones only, limited to TXT records named `_acme-challenge.*`.
 */
export function dns01Statements(partition: string, zoneIds: readonly string[]): PolicyStatement[] {
  return [
    { Sid: "GetChange", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` },
    { Sid: "FindZones", Action: "route53:ListHostedZonesByName", Resource: "*" },
    {
      Sid: "ChallengeRecordsOnly",
      Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
      Resource: zoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`),
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
      },
    },
  ];
}

/** The controller's DNS01 self-check arguments: ask only `nameservers` (`host:53`), never the zones' authoritative servers. */
export function dns01SelfCheckArgs(nameservers: readonly string[]): string[] {
  return ["--dns01-recursive-nameservers-only", `--dns01-recursive-nameservers=${nameservers.map((n) => (n.includes(":") ? n : `${n}:53`)).join(",")}`];
}

export interface CertManagerProps extends ControllerAddOnProps {
  /**
   * The resolvers the DNS01 self-check asks (`--dns01-recursive-nameservers-only`): the VPC's Amazon
   * DNS server, which the private tier's network ACL does not filter. Without it cert-manager queries
   * each zone's authoritative name servers on port 53, which the ACL blocks. @default the authoritative servers
   */
  readonly recursiveNameservers?: readonly string[];
}

/**
 * cert-manager with its CRDs (`crds.enabled`, kept on uninstall so certificates survive), an IRSA role
 * for DNS01 on this environment's zones, replicated controller, webhook and CA injector with a
 * PodDisruptionBudget.
 */
export class CertManager extends Construct {
  readonly role: ServiceAccountRole;
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    const { cluster } = props;
    const replicas = props.replicas ?? 2;
    this.role = new ServiceAccountRole(this, "role", {
      naming: cluster.naming,
      name: "eks-cert-manager",
      description: `cert-manager DNS01 challenges of ${cluster.clusterName} (TXT records in its zones)`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      namespace: props.chart.namespace,
      serviceAccount: CERT_MANAGER_SERVICE_ACCOUNT,
      statements: dns01Statements(AwsContext.of(this).partition, [cluster.zones.publicZoneId, cluster.zones.privateZoneId]),
    });
    // Every workload of the chart on the managed general nodes (each takes its own nodeSelector).
    const nodeSelector = { "kubernetes.io/os": "linux", ...CONTROLLER_NODE_SELECTOR };
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: [
        { name: "controller", replicas, nodeSelector },
        { name: "webhook", replicas, nodeSelector },
        { name: "cainjector", replicas, nodeSelector },
        // The post-install hook Job that waits for the webhook.
        { name: "startupapicheck", replicas: 1, nodeSelector },
      ],
      defaultValues: {
        crds: { enabled: true, keep: true },
        ...(props.recursiveNameservers?.length ? { extraArgs: dns01SelfCheckArgs(props.recursiveNameservers) } : {}),
        replicaCount: replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        serviceAccount: { create: true, name: CERT_MANAGER_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: this.role.roleArn } },
        nodeSelector,
        // The chart's ServiceMonitor (off by default in v1.21.1): the CertificateExpiring* rules read certmanager_* from it.
        prometheus: { enabled: true, servicemonitor: { enabled: true } },
        webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, nodeSelector },
        cainjector: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, nodeSelector },
        startupapicheck: { nodeSelector },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
