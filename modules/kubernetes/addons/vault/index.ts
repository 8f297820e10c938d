import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { IClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";

/** Defaults of the Vault wiring. */
export const VAULT_DEFAULTS = {
  /** Where the Kubernetes auth method is mounted in Vault. */
  authMountPath: "kubernetes",
  /** The kv-v2 secrets engine's mount. */
  kvMount: "secret",
  /** The ClusterSecretStore's name (beside the Secrets Manager one). */
  storeName: "vault",
  /** The service account External Secrets logs in to Vault as, and its namespace. */
  serviceAccount: "vault-auth",
  namespace: "external-secrets",
} as const;

/** HashiCorp Vault as a second secret source: the `vault` section of an environment config. */
export interface VaultSettings {
  /** The Vault API address, e.g. `https://vault.aivo.edu:8200`. */
  readonly address: string;
  /** The Vault role of the Kubernetes auth method that the service account logs in as. */
  readonly kubernetesAuthRole: string;
  /** Vault policies that role grants (documented on the service account; Vault itself is configured outside this repository). */
  readonly policies: readonly string[];
  /** @default VAULT_DEFAULTS.authMountPath ("kubernetes") */
  readonly authMountPath?: string;
  /** @default VAULT_DEFAULTS.kvMount ("secret") */
  readonly kvMount?: string;
  /** Vault Enterprise namespace. @default none */
  readonly vaultNamespace?: string;
  /** Create the `ClusterSecretStore` for Vault (kv-v2). @default true */
  readonly clusterSecretStore?: boolean;
}

const VAULT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_./-]*$/;

/** Throws `<env>.vault.<field>: <value> …` for the first invalid setting. */
export function validateVault(environment: string, settings: VaultSettings): void {
  const path = `${environment}.vault`;
  let url: URL | undefined;
  try {
    url = new URL(settings.address);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== "https:" || url.username || url.password || (url.pathname !== "/" && url.pathname !== "")) {
    throw new Error(`${path}.address: "${settings.address}" is not an https:// URL of the Vault API (scheme, host and optional port only)`);
  }
  if (!VAULT_NAME.test(settings.kubernetesAuthRole)) {
    throw new Error(`${path}.kubernetesAuthRole: "${settings.kubernetesAuthRole}" is not a Vault role name`);
  }
  if (settings.policies.length === 0) throw new Error(`${path}.policies: none; list the policies the role grants`);
  settings.policies.forEach((policy, i) => {
    if (!VAULT_NAME.test(policy)) throw new Error(`${path}.policies[${i}]: "${policy}" is not a Vault policy name`);
    if (policy === "root") throw new Error(`${path}.policies[${i}]: "root" gives unlimited access; grant a scoped policy`);
  });
  for (const field of ["authMountPath", "kvMount"] as const) {
    const value = settings[field];
    if (value !== undefined && !/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(value)) {
      throw new Error(`${path}.${field}: "${value}" is not a Vault mount path (no leading or trailing "/")`);
    }
  }
}

/** The `ClusterSecretStore` object for Vault kv-v2, logging in with the Kubernetes auth method. */
export function vaultClusterSecretStore(settings: VaultSettings, serviceAccount: { name: string; namespace: string }, name: string = VAULT_DEFAULTS.storeName): IClusterSecretStore {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name },
    spec: {
      provider: {
        vault: {
          server: settings.address,
          path: settings.kvMount ?? VAULT_DEFAULTS.kvMount,
          version: "v2",
          ...(settings.vaultNamespace ? { namespace: settings.vaultNamespace } : {}),
          auth: {
            kubernetes: {
              mountPath: settings.authMountPath ?? VAULT_DEFAULTS.authMountPath,
              role: settings.kubernetesAuthRole,
              serviceAccountRef: { name: serviceAccount.name, namespace: serviceAccount.namespace },
            },
          },
        },
      },
    },
  };
}

export interface VaultIntegrationProps extends VaultSettings {
  /** The environment, for validation messages. */
  readonly environment: string;
  /** Namespace of the service account (External Secrets' own). @default VAULT_DEFAULTS.namespace */
  readonly namespace?: string;
  /** @default VAULT_DEFAULTS.serviceAccount ("vault-auth") */
  readonly serviceAccountName?: string;
  /** Resources that must exist first (the service account's namespace, the External Secrets release). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The cluster side of Vault: the service account bound to the Vault Kubernetes-auth role (Vault
 * verifies its token through the TokenReview API) and, unless turned off, a `ClusterSecretStore`
 * `vault` reading kv-v2, beside the Secrets Manager store. The store is a custom resource: create it
 * in the workloads stack, after External Secrets' CRDs exist.
 */
export class VaultIntegration extends Construct {
  readonly serviceAccount: ServiceAccountV1;
  /** The store object (undefined when turned off). */
  readonly storeObject?: IClusterSecretStore;
  readonly store?: Manifest;

  constructor(scope: Construct, id: string, props: VaultIntegrationProps) {
    super(scope, id);
    validateVault(props.environment, props);
    const sa = { name: props.serviceAccountName ?? VAULT_DEFAULTS.serviceAccount, namespace: props.namespace ?? VAULT_DEFAULTS.namespace };
    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: sa.name,
        namespace: sa.namespace,
        annotations: {
          "aivo.edu/vault-role": props.kubernetesAuthRole,
          "aivo.edu/vault-policies": props.policies.join(","),
        },
      },
      // Only its (audience-bound, short-lived) requested tokens are used; no legacy secret is mounted.
      automountServiceAccountToken: false,
      dependsOn: props.dependsOn,
    });
    if (props.clusterSecretStore ?? true) {
      this.storeObject = vaultClusterSecretStore(props, sa);
      this.store = new Manifest(this, "cluster-secret-store", {
        manifest: this.storeObject as unknown as Record<string, unknown>,
        dependsOn: [this.serviceAccount],
      });
    }
  }
}
