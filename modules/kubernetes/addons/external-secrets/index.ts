import { Construct } from "constructs";
import { AwsContext } from "../../../shared/aws-context";
import { ControllerAddOnProps, HelmAddOn } from "../../helm-addon";
import { PolicyStatement } from "../../../shared/iam";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CONTROLLER_NODE_SELECTOR, IRSA_ROLE_ANNOTATION } from "../../platform";

/** The operator's service account, which the ClusterSecretStore authenticates as. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = "external-secrets";

/**
 * Read-only access to the environment's secrets (`aivo/<env>/*` in its region) and decryption with
 * whatever key encrypts them, but only through Secrets Manager and only for those secrets (the
 * `SecretARN` encryption context Secrets Manager sets).
 */
export function secretReaderStatements(args: { partition: string; region: string; accountId: string; prefix: string }): PolicyStatement[] {
  const secretArns = `arn:${args.partition}:secretsmanager:${args.region}:${args.accountId}:secret:${args.prefix}/*`;
  return [
    {
      Sid: "ReadEnvironmentSecrets",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
      Resource: secretArns,
    },
    {
      Sid: "DecryptEnvironmentSecrets",
      Action: "kms:Decrypt",
      Resource: `arn:${args.partition}:kms:${args.region}:${args.accountId}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:SecretARN": secretArns },
      },
    },
  ];
}

/**
 * The External Secrets Operator with its CRDs, an IRSA role reading `aivo/<env>/*` only, replicated
 * operator, webhook and cert controller with a PodDisruptionBudget.
 */
export class ExternalSecrets extends Construct {
  readonly role: ServiceAccountRole;
  readonly addOn: HelmAddOn;
  /** The Secrets Manager name prefix the operator may read: `aivo/<env>`. */
  readonly secretPrefix: string;

  constructor(scope: Construct, id: string, props: ControllerAddOnProps) {
    super(scope, id);
    const { cluster } = props;
    const context = AwsContext.of(this);
    const replicas = props.replicas ?? 2;
    this.secretPrefix = cluster.naming.path().slice(1);
    this.role = new ServiceAccountRole(this, "role", {
      naming: cluster.naming,
      name: "eks-external-secrets",
      description: `External Secrets Operator of ${cluster.clusterName}: reads ${this.secretPrefix}/* secrets`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      namespace: props.chart.namespace,
      serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
      statements: secretReaderStatements({ partition: context.partition, region: cluster.region, accountId: context.accountId, prefix: this.secretPrefix }),
    });
    const nodeSelector = CONTROLLER_NODE_SELECTOR;
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      pods: [
        { name: "operator", replicas, nodeSelector },
        { name: "webhook", replicas, nodeSelector },
        { name: "cert-controller", replicas, nodeSelector },
      ],
      defaultValues: {
        installCRDs: true,
        replicaCount: replicas,
        leaderElect: replicas > 1,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: this.role.roleArn } },
        nodeSelector: { ...nodeSelector },
        webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, nodeSelector: { ...nodeSelector } },
        certController: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 }, nodeSelector: { ...nodeSelector } },
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
