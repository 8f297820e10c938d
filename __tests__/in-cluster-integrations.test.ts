import { Testing } from "cdktf";
import { production } from "../environments/production";
import { AdotCollector, ADOT_IMAGE, OTLP_PORTS } from "../modules/kubernetes/addons/adot-collector";
import { Auth0Config } from "../modules/kubernetes/cluster/auth0";
import { TailscaleSubnetRouter, TAILSCALE_DEFAULTS } from "../modules/kubernetes/addons/tailscale";
import { VaultIntegration } from "../modules/kubernetes/addons/vault";
import { configsOf, onlyResource, parse } from "./helpers";
import { validateWithModels } from "./kubernetes-validate";

const ROLE_ARN = "arn:aws:iam::123456789012:role/aivo-production-adot-collector";
const vaultSettings = { address: "https://vault.aivo.edu:8200", kubernetesAuthRole: "aivo-production", policies: ["aivo-read", "aivo-db-creds"] };
const tailscaleSettings = {
  advertiseRoutes: ["10.0.1.0/24", "10.0.2.0/24"],
  authKeySecretName: "aivo/production/tailscale/auth-key",
};

// Each construct standalone, as the lead will wire it into the <env>-addons / <env>-workloads stacks.
let tailscale!: TailscaleSubnetRouter;
let vault!: VaultIntegration;
let adot!: AdotCollector;
const doc = parse(
  Testing.synthScope((scope) => {
    adot = new AdotCollector(scope, "adot", { environment: "production", region: "us-east-1", roleArn: ROLE_ARN });
    new Auth0Config(scope, "auth0", { ...production.auth0, environment: "production" });
    vault = new VaultIntegration(scope, "vault", { ...vaultSettings, environment: "production" });
    tailscale = new TailscaleSubnetRouter(scope, "tailscale", {
      ...tailscaleSettings,
      environment: "production",
      vpcCidrs: [production.network.vpcCidr],
      secretStoreName: "aws-secrets-manager",
    });
  }),
);
const manifests = configsOf(doc, "kubernetes_manifest").map((m) => m.manifest);
const manifestOf = (kind: string) => manifests.find((m) => m.kind === kind)!;

describe("ADOT collector", () => {
  const release = onlyResource(doc, "helm_release");
  const values = JSON.parse(release.values[0]);

  it("is the pinned OpenTelemetry collector chart running the ADOT image with its IRSA role", () => {
    expect(release).toEqual(expect.objectContaining({ chart: "opentelemetry-collector", namespace: "observability", atomic: true }));
    expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(values.image).toEqual({ repository: ADOT_IMAGE.repository, tag: ADOT_IMAGE.tag });
    expect(values.command.name).toBe("awscollector");
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    expect(values.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, readOnlyRootFilesystem: true }));
  });

  it("receives OTLP only and exports traces to X-Ray, stamped and indexed with the environment", () => {
    const { config } = values;
    expect(config.receivers.jaeger).toBeNull();
    expect(config.receivers.zipkin).toBeNull();
    expect(config.receivers.otlp.protocols.grpc.endpoint).toMatch(/:4317$/);
    expect(config.service.pipelines.traces).toEqual({ receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["awsxray"] });
    expect(config.processors.resource.attributes).toEqual([{ key: "aivo.environment", value: "production", action: "upsert" }]);
    expect(config.exporters.awsxray).toEqual({ region: "us-east-1", indexed_attributes: ["aivo.environment"] });
    expect(values.ports.zipkin.enabled).toBe(false);
  });

  it("tells services where to send traces", () => {
    expect(adot.otlpHttpEndpoint).toBe(`http://adot-collector.observability.svc.cluster.local:${OTLP_PORTS.http}`);
    expect(adot.otlpGrpcEndpoint).toBe("http://adot-collector.observability.svc.cluster.local:4317");
  });
});

describe("Auth0 ConfigMap", () => {
  it("is `auth0` in `aivo` with the token-validation settings", () => {
    const map = onlyResource(doc, "kubernetes_config_map_v1");
    expect(map.metadata).toEqual(expect.objectContaining({ name: "auth0", namespace: "aivo" }));
    expect(map.data).toEqual({
      AUTH0_DOMAIN: "aivo.us.auth0.com",
      AUTH0_AUDIENCE: "https://api.aivo.edu",
      AUTH0_ISSUER: "https://aivo.us.auth0.com/",
      AUTH0_JWKS_URI: "https://aivo.us.auth0.com/.well-known/jwks.json",
      AUTH0_ALGORITHMS: "RS256",
      AUTH0_CLOCK_SKEW_SECONDS: "60",
    });
  });

  it("refuses bad settings before creating anything", () => {
    expect(() =>
      Testing.synthScope((scope) => new Auth0Config(scope, "a", { ...production.auth0, clockSkewSeconds: 900, environment: "production" })),
    ).toThrow("production.auth0.clockSkewSeconds: 900 is outside 0-300 seconds");
  });
});

describe("Vault", () => {
  it("creates the Kubernetes-auth service account, naming its Vault role and policies", () => {
    const sa = onlyResource(doc, "kubernetes_service_account_v1");
    expect(sa.metadata).toEqual(
      expect.objectContaining({
        name: "vault-auth",
        namespace: "external-secrets",
        annotations: { "aivo.edu/vault-role": "aivo-production", "aivo.edu/vault-policies": "aivo-read,aivo-db-creds" },
      }),
    );
  });

  it("adds a kv-v2 ClusterSecretStore logging in as that service account", () => {
    const store = manifestOf("ClusterSecretStore");
    expect(store.spec.provider.vault).toEqual({
      server: "https://vault.aivo.edu:8200",
      path: "secret",
      version: "v2",
      auth: { kubernetes: { mountPath: "kubernetes", role: "aivo-production", serviceAccountRef: { name: "vault-auth", namespace: "external-secrets" } } },
    });
  });

  it("can leave the store out", () => {
    const json = Testing.synthScope((scope) => new VaultIntegration(scope, "v", { ...vaultSettings, environment: "staging", clusterSecretStore: false }));
    expect(configsOf(json, "kubernetes_manifest")).toHaveLength(0);
    expect(configsOf(json, "kubernetes_service_account_v1")).toHaveLength(1);
  });
});

describe("Tailscale subnet router", () => {
  it("pulls its auth key from Secrets Manager through External Secrets", () => {
    const secret = manifestOf("ExternalSecret");
    expect(secret.spec.secretStoreRef).toEqual({ name: "aws-secrets-manager", kind: "ClusterSecretStore" });
    expect(secret.spec.data).toEqual([{ secretKey: "TS_AUTHKEY", remoteRef: { key: "aivo/production/tailscale/auth-key" } }]);
    expect(secret.spec.target.name).toBe(TAILSCALE_DEFAULTS.authSecret);
  });

  it("advertises exactly the configured routes, unprivileged", () => {
    const container = manifestOf("Deployment").spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.TS_ROUTES).toBe("10.0.1.0/24,10.0.2.0/24");
    expect(env.TS_USERSPACE).toBe("true");
    expect(container.env.find((e: { name: string }) => e.name === "TS_AUTHKEY").valueFrom.secretKeyRef).toEqual({ name: "tailscale-auth", key: "TS_AUTHKEY" });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("applies the secret before the workload", () => {
    const deployment = doc.resource!.kubernetes_manifest[Object.keys(doc.resource!.kubernetes_manifest).find((k) => k.includes("deployment"))!];
    expect(deployment.depends_on).toEqual([expect.stringMatching(/roleBinding/)]);
  });

  it("refuses routes outside the VPC", () => {
    expect(() =>
      Testing.synthScope(
        (scope) =>
          new TailscaleSubnetRouter(scope, "t", { ...tailscaleSettings, advertiseRoutes: ["172.31.0.0/16"], environment: "production", vpcCidrs: ["10.0.0.0/16"], secretStoreName: "s" }),
      ),
    ).toThrow("production.tailscale.advertiseRoutes[0]: 172.31.0.0/16 is outside the VPC (10.0.0.0/16)");
  });
});

describe("the Kubernetes objects against their upstream schemas", () => {
  it("are valid (kubernetes-models validate())", () => {
    const checks = [
      { module: "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore", className: "ClusterSecretStore", object: vault.storeObject },
      { module: "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret", className: "ExternalSecret", object: tailscale.objects.externalSecret },
      { module: "kubernetes-models/apps/v1/Deployment", className: "Deployment", object: tailscale.objects.deployment },
      { module: "kubernetes-models/rbac.authorization.k8s.io/v1/Role", className: "Role", object: tailscale.objects.role },
      { module: "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding", className: "RoleBinding", object: tailscale.objects.roleBinding },
      { module: "kubernetes-models/v1/ServiceAccount", className: "ServiceAccount", object: tailscale.objects.serviceAccount },
    ];
    expect(validateWithModels(checks)).toEqual(checks.map(() => ""));
  });

  it("would catch a malformed object", () => {
    const broken = { ...tailscale.objects.externalSecret, spec: { ...tailscale.objects.externalSecret.spec, data: [{ secretKey: "k" }] } };
    const [error] = validateWithModels([{ module: "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret", className: "ExternalSecret", object: broken }]);
    expect(error).toMatch(/remoteRef/);
  });
});
