import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { contains, parseIpv4Cidr } from "../../../shared/cidr";

/** The Tailscale image (userspace networking: no NET_ADMIN, no privileged container). */
export const TAILSCALE_IMAGE = "tailscale/tailscale:v1.84.0";
/** Names in the cluster. */
export const TAILSCALE_DEFAULTS = {
  namespace: "tailscale",
  name: "tailscale-subnet-router",
  /** The Kubernetes Secret External Secrets writes the auth key into, and its key. */
  authSecret: "tailscale-auth",
  authSecretKey: "TS_AUTHKEY",
  /** The Secret Tailscale keeps its node state in (so a restarted pod is the same node). */
  stateSecret: "tailscale-state",
  /** How often External Secrets re-reads the key from Secrets Manager. */
  refreshInterval: "1h",
} as const;

/** The `tailscale` section of an environment config: an optional subnet router into the VPC. */
export interface TailscaleSettings {
  /** Run the subnet router. */
  readonly enabled: boolean;
  /** Routes advertised to the tailnet; each must lie inside one of the VPC's CIDRs. */
  readonly advertiseRoutes: readonly string[];
  /**
   * Name of the Secrets Manager secret holding a reusable, pre-authorized, tagged auth key (put by an
   * operator; never in this repository), e.g. `aivo/production/tailscale/auth-key`.
   */
  readonly authKeySecretName: string;
  /** The node's name in the tailnet. @default `aivo-<env>-subnet-router` */
  readonly hostname?: string;
}

/** Throws `<env>.tailscale.<field>: <value> …` for the first invalid setting. */
export function validateTailscale(environment: string, vpcCidrs: readonly string[], settings: TailscaleSettings): void {
  const path = `${environment}.tailscale`;
  if (settings.advertiseRoutes.length === 0) throw new Error(`${path}.advertiseRoutes: none; list the VPC ranges the tailnet may reach`);
  const vpcs = vpcCidrs.map(parseIpv4Cidr);
  settings.advertiseRoutes.forEach((route, i) => {
    const block = parseIpv4Cidr(route);
    if (typeof block === "string") throw new Error(`${path}.advertiseRoutes[${i}]: "${route}" is not an IPv4 CIDR block`);
    if (!vpcs.some((vpc) => typeof vpc !== "string" && contains(vpc, block))) {
      throw new Error(`${path}.advertiseRoutes[${i}]: ${route} is outside the VPC (${vpcCidrs.join(", ")}); only VPC ranges may be advertised`);
    }
  });
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(settings.authKeySecretName)) {
    throw new Error(`${path}.authKeySecretName: "${settings.authKeySecretName}" is not a Secrets Manager secret name`);
  }
  if (settings.hostname !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(settings.hostname)) {
    throw new Error(`${path}.hostname: "${settings.hostname}" is not a DNS label`);
  }
}

export interface TailscaleSubnetRouterProps extends Omit<TailscaleSettings, "enabled"> {
  /** The environment (validation messages, default hostname). */
  readonly environment: string;
  /** The VPC's CIDRs: every advertised route must be inside one. */
  readonly vpcCidrs: readonly string[];
  /** The External Secrets store backed by Secrets Manager, e.g. `aws-secrets-manager`. */
  readonly secretStoreName: string;
  /** `ClusterSecretStore` or `SecretStore`. @default "ClusterSecretStore" */
  readonly secretStoreKind?: "ClusterSecretStore" | "SecretStore";
  /** @default TAILSCALE_DEFAULTS.namespace ("tailscale"); must exist */
  readonly namespace?: string;
  /** Resources the first object (the ExternalSecret) waits for, e.g. the secret store. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** The objects of the subnet router, in apply order. */
export function tailscaleObjects(props: TailscaleSubnetRouterProps): {
  externalSecret: IExternalSecret;
  serviceAccount: IServiceAccount;
  role: IRole;
  roleBinding: IRoleBinding;
  deployment: IDeployment;
} {
  const namespace = props.namespace ?? TAILSCALE_DEFAULTS.namespace;
  const name = TAILSCALE_DEFAULTS.name;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "aivo" };
  return {
    externalSecret: {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: TAILSCALE_DEFAULTS.authSecret, namespace },
      spec: {
        refreshInterval: TAILSCALE_DEFAULTS.refreshInterval,
        secretStoreRef: { name: props.secretStoreName, kind: props.secretStoreKind ?? "ClusterSecretStore" },
        target: { name: TAILSCALE_DEFAULTS.authSecret, creationPolicy: "Owner" },
        data: [{ secretKey: TAILSCALE_DEFAULTS.authSecretKey, remoteRef: { key: props.authKeySecretName } }],
      },
    },
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } },
    role: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name, namespace, labels },
      rules: [
        // `create` cannot be limited by name in RBAC; the rest is limited to the state Secret.
        { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
        { apiGroups: [""], resources: ["secrets"], resourceNames: [TAILSCALE_DEFAULTS.stateSecret], verbs: ["get", "update", "patch"] },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "get"] },
      ],
    },
    roleBinding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
    deployment: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, labels },
      spec: {
        // One node identity per state Secret: exactly one replica, replaced (not surged) on update.
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "tailscale",
                image: TAILSCALE_IMAGE,
                env: [
                  { name: "TS_AUTHKEY", valueFrom: { secretKeyRef: { name: TAILSCALE_DEFAULTS.authSecret, key: TAILSCALE_DEFAULTS.authSecretKey } } },
                  { name: "TS_KUBE_SECRET", value: TAILSCALE_DEFAULTS.stateSecret },
                  { name: "TS_USERSPACE", value: "true" },
                  { name: "TS_ROUTES", value: props.advertiseRoutes.join(",") },
                  { name: "TS_HOSTNAME", value: props.hostname ?? `aivo-${props.environment}-subnet-router` },
                ],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
  };
}

/**
 * An optional Tailscale subnet router in the cluster: one pod (userspace networking, non-root,
 * read-only root file system) that joins the tailnet with an auth key External Secrets copies from
 * Secrets Manager, and advertises only the VPC routes the config allows. Routes still need approval
 * in the tailnet's ACLs (`autoApprovers` for the key's tag). The ExternalSecret is a custom resource:
 * create this construct in the workloads stack, after External Secrets' CRDs exist.
 */
export class TailscaleSubnetRouter extends Construct {
  /** The objects, by role (for tests and review). */
  readonly objects: ReturnType<typeof tailscaleObjects>;
  /** The `kubernetes_manifest` resources, by the same keys. */
  readonly manifests: Readonly<Record<keyof ReturnType<typeof tailscaleObjects>, Manifest>>;

  constructor(scope: Construct, id: string, props: TailscaleSubnetRouterProps) {
    super(scope, id);
    validateTailscale(props.environment, props.vpcCidrs, { ...props, enabled: true });
    this.objects = tailscaleObjects(props);
    const manifests = {} as Record<keyof ReturnType<typeof tailscaleObjects>, Manifest>;
    let previous: Manifest | undefined;
    for (const [key, object] of Object.entries(this.objects) as [keyof ReturnType<typeof tailscaleObjects>, object][]) {
      previous = manifests[key] = new Manifest(this, key, {
        manifest: object as Record<string, unknown>,
        dependsOn: previous ? [previous] : props.dependsOn,
      });
    }
    this.manifests = manifests;
  }
}
