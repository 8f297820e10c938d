import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import { KubernetesManifest } from "../../manifest";
import { CLUSTER_SECRET_STORE_NAME } from "../../platform";

export interface SecretsManagerStoreProps {
  /** Config path, e.g. `production.kubernetes.secretStore`. */
  readonly where: string;
  /** The region of the environment's secrets. */
  readonly region: string;
  /** Resources that must exist first (the External Secrets release, in the addons stack). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The ClusterSecretStore `aws-secrets-manager` (`external-secrets.io/v1`): AWS Secrets Manager in the
 * environment's region, read with the operator's own IRSA role (which may read `aivo/<env>/*` only),
 * so no credentials are stored in the cluster.
 */
export class SecretsManagerStore extends Construct {
  readonly manifest: KubernetesManifest;
  readonly storeName = CLUSTER_SECRET_STORE_NAME;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    this.manifest = new KubernetesManifest(this, "store", {
      where: props.where,
      object: new ClusterSecretStore({
        metadata: { name: CLUSTER_SECRET_STORE_NAME },
        spec: { provider: { aws: { service: "SecretsManager", region: props.region } } },
      }),
      dependsOn: props.dependsOn,
    });
  }
}
