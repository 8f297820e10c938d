import { Construct } from "constructs";
import { AwsContext } from "../../../shared/aws-context";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { PolicyStatement } from "../../../shared/iam";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CONTROLLER_NODE_SELECTOR, IRSA_ROLE_ANNOTATION } from "../../platform";

/** external-dns' service account. */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";

/** How external-dns treats records: `sync` also deletes what it created; `upsert-only` never deletes. */
export type ExternalDnsPolicy = "sync" | "upsert-only";

/** Record changes on the given zones only; zone listing (which IAM can't scope) on `*`. */
export function externalDnsStatements(partition: string, zoneIds: readonly string[]): PolicyStatement[] {
  const zones = zoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`);
  return [
    { Sid: "ChangeEnvironmentRecords", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], Resource: zones },
    { Sid: "ListZones", Action: ["route53:ListHostedZones", "route53:ListTagsForResources"], Resource: "*" },
  ];
}

export interface ExternalDnsProps extends ControllerAddOnProps {
  /** `upsert-only` never deletes a record. @default "sync" */
  readonly policy?: ExternalDnsPolicy;
}

/**
 * external-dns for the environment's public and private zones: domain and zone-id filters on both,
 * TXT ownership records keyed by the cluster name, and an IRSA role that can change only those zones.
 * One replica (the chart's maximum; it is a reconciler, a short gap is harmless).
 */
export class ExternalDns extends Construct {
  readonly role: ServiceAccountRole;
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const { cluster } = props;
    const zones = cluster.zones;
    this.role = new ServiceAccountRole(this, "role", {
      naming: cluster.naming,
      name: "eks-external-dns",
      description: `external-dns of ${cluster.clusterName}: records in ${zones.publicZoneName} and ${zones.privateZoneName}`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      namespace: props.chart.namespace,
      serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
      statements: externalDnsStatements(AwsContext.of(this).partition, [zones.publicZoneId, zones.privateZoneId]),
    });
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: [{ name: "controller", replicas: 1, nodeSelector: CONTROLLER_NODE_SELECTOR }],
      defaultValues: {
        provider: { name: "aws" },
        sources: ["service", "ingress"],
        policy: props.policy ?? "sync",
        registry: "txt",
        txtOwnerId: cluster.clusterName,
        domainFilters: [zones.publicZoneName, zones.privateZoneName],
        extraArgs: [
          `--zone-id-filter=${zones.publicZoneId}`,
          `--zone-id-filter=${zones.privateZoneId}`,
          // Only the hostname annotation names a record: an Ingress may answer to a name another stack
          // owns (the DR failover name) without external-dns claiming it (modules/aws/edge/origin-names).
          "--ignore-ingress-rules-spec",
          "--ignore-ingress-tls-spec",
        ],
        env: [{ name: "AWS_DEFAULT_REGION", value: cluster.region }],
        serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: this.role.roleArn } },
        nodeSelector: { ...CONTROLLER_NODE_SELECTOR },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
