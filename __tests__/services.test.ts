import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { originNames } from "../modules/aws/edge/origin-names";
import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { parse as parseYaml, parseAllDocuments, stringify } from "yaml";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { ACCOUNT } from "../environments/account";
import { development } from "../environments/development";
import { SERVICES } from "../environments/services";
import { PROMETHEUS_URL, argoCdSecretName } from "../environments/services-stack";
import { DEFAULT_ORIGIN_HEALTH_CHECK_PATH } from "../modules/aws/edge/cloudfront";
import { TIER_VALUES_FILES, loadServiceChart } from "../modules/aws/delivery/service";
import { SERVICE_RESOURCE_KINDS } from "../modules/kubernetes/gitops";
import { TerraformJson, configsOf, policy } from "./helpers";
import { ROOT, buildDependencies, helm, helmOrSkip, valuesFile } from "./helm";
import { manifestsOf, synthApp } from "./kubernetes-helpers";
import { validateWithModels } from "./kubernetes-validate";
import { synthesizedPlatform } from "./platform";

const { docs, stacks } = synthesizedPlatform(); // the real platform, synthesized once per run
const dependenciesOf = (stack: string) => stacks.find((s) => s.name === stack)!.dependencies;
const names = ENVIRONMENTS.map((e) => e.name);
const MODELS: Record<string, [string, string]> = {
  Application: ["@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application", "Application"],
  AppProject: ["@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject", "AppProject"],
  ExternalSecret: ["@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret", "ExternalSecret"],
};

describe("the services stacks", () => {
  it("exist per environment as <env>-services, after <env>-workloads", () => {
    for (const name of names) {
      expect(docs[`${name}-services`]).toBeDefined();
      expect(dependenciesOf(`${name}-services`)).toEqual(expect.arrayContaining([`${name}-workloads`, name]));
    }
  });

  it("read every service from its chart under helm/services", () => {
    expect(SERVICES.map((c) => c.path)).toEqual(SERVICES.map((c) => `helm/services/${c.spec.name}`));
    expect(SERVICES.map((c) => c.spec.name)).toContain("auth-svc");
  });
});

describe.each(names)("%s-services", (name) => {
  const config = ENVIRONMENTS.find((e) => e.name === name)!;
  const doc: TerraformJson = docs[`${name}-services`];
  const objects = manifestsOf(doc).map((m) => m.manifest);
  const application = objects.find((o) => o.kind === "Application" && o.metadata.name === "auth-svc")!;

  it("matches the reviewed snapshot of its Terraform", () => {
    expect(doc).toMatchSnapshot();
  });

  it("applies no service object itself: only Argo CD's project, repository credentials and one Application per service", () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(
      [
        "AppProject argocd/aivo-services",
        "ExternalSecret argocd/aivo-repository",
        ...(config.kubernetes.argoCdSso ? ["ExternalSecret argocd/argocd-oidc"] : []),
        ...SERVICES.map((c) => `Application argocd/${c.spec.name}`),
      ].sort(),
    );
    const checks = objects.map((o) => ({ module: MODELS[o.kind][0], className: MODELS[o.kind][1], object: o }));
    expect(validateWithModels(checks)).toEqual(checks.map(() => ""));
  });

  it("deploys auth-svc from its chart with the tier's values file, into aivo, through the services' project", () => {
    expect(application.spec.source).toMatchObject({
      repoURL: `git@github.com:${ACCOUNT.github.repository}.git`,
      targetRevision: ACCOUNT.github.defaultBranch ?? "main",
      path: "helm/services/auth-svc",
      helm: { valueFiles: [TIER_VALUES_FILES[config.tier]] },
    });
    expect(application.spec).toMatchObject({ project: "aivo-services", destination: { namespace: "aivo" } });
    const project = objects.find((o) => o.kind === "AppProject")!;
    expect(project.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "aivo" }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual(SERVICE_RESOURCE_KINDS.map((k) => ({ ...k })));
  });

  it("hands the chart the environment's infrastructure: endpoints, roles, the ALB group, Prometheus", () => {
    const p = application.spec.source.helm.valuesObject.platform;
    expect(p).toMatchObject({ environment: name, region: config.region, labels: { environment: name }, secretStore: "aws-secrets-manager" });
    // With DR, origin.<domain> is the DR stack's failover pair: the ALB publishes its regional name and answers to both.
    const names = originNames(config.edge, config.dr?.traffic);
    expect(p.ingress).toMatchObject({ groupName: `aivo-${name}`, host: names.published, sourceCidrs: config.network.publicSubnets, deletionProtection: config.tier === "production" });
    expect([p.ingress.host, ...(p.ingress.additionalHosts ?? [])].sort()).toEqual([...names.served].sort());
    expect([p.ingress.host, ...(p.ingress.additionalHosts ?? [])]).toContain(config.edge.originDomain);
    // The addons stack's groups (CloudFront's, then Route 53 health checkers'), by id through cross-stack references.
    const ref = (group: string) => `\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}-addons\\.outputs\\.cross-stack-output-aws_security_groupalb-origin-sg_${group}_\\w+id\\}`;
    expect(p.ingress.securityGroup).toMatch(new RegExp(`^${ref("group")},${ref("health-checks")}$`));
    // auth-svc answers the origin's Route 53 health check on its readiness path.
    expect(p.ingress.healthCheckPath).toBe(config.edge.healthCheckPath ?? DEFAULT_ORIGIN_HEALTH_CHECK_PATH);
    expect(p.postgres).toMatchObject({ port: 5432, subnetCidrs: config.network.databaseSubnets, serviceSecret: `aivo/${name}/auth-svc/database` });
    expect(p.postgres.masterSecretArn).toMatch(/master_user_secret0secret_arn\}$/);
    expect(p.redis).toMatchObject({ port: 6379, subnetCidrs: config.network.databaseSubnets });
    expect(p.prometheus.url).toBe(PROMETHEUS_URL);
    expect(p.serviceAccount.roleArn).toMatch(/^\$\{aws_iam_role\.auth-svc_role_\w+\.arn\}$/);
  });

  it("keeps Argo CD's deploy key in Secrets Manager (a container, no value), read through External Secrets", () => {
    const secret = configsOf(doc, "aws_secretsmanager_secret").find((s) => s.name === argoCdSecretName(name, "repository"))!;
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\.secrets-key_\w+\.arn\}$/);
    expect(configsOf(doc, "aws_secretsmanager_secret_version")).toEqual([]);
    const credentials = objects.find((o) => o.kind === "ExternalSecret" && o.metadata.name === "aivo-repository")!;
    expect(credentials.spec.target.template.metadata.labels).toMatchObject({ "argocd.argoproj.io/secret-type": "repository" });
    expect(credentials.spec.data).toEqual([{ secretKey: "sshPrivateKey", remoteRef: { key: argoCdSecretName(name, "repository"), property: "sshPrivateKey" } }]);
  });

  it("keeps auth-svc's images in an immutable, scanned repository; replicated to the DR region where there is one", () => {
    const repository = configsOf(doc, "aws_ecr_repository").find((r) => r.name === `aivo-${name}-auth-svc`)!;
    expect(repository).toMatchObject({ image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true } });
    expect(configsOf(doc, "aws_ecr_replication_configuration")).toHaveLength(config.drRegion ? 1 : 0);
    expect(doc.output!.repository_urls.value["auth-svc"]).toMatch(/^\$\{aws_ecr_repository\.auth-svc_repository_\w+\.repository_url\}$/);
    expect(doc.output!.applications.value["auth-svc"]).toMatchObject({ application: "argocd/auth-svc", values_file: TIER_VALUES_FILES[config.tier] });
  });

  it("grants the push role of images-<env> only its own repository, in the account stack", () => {
    const account = docs.account;
    const role = configsOf(account, "aws_iam_role").find((r) => r.name === `aivo-${name}-auth-svc-push`)!;
    expect(JSON.stringify(policy(role.assume_role_policy).Statement[0].Condition)).toContain(`:environment:images-${name}`);
  });
});

describe("a service asking for a VPA where the environment has none", () => {
  it("stops synthesis naming the setting and the service", () => {
    const noVpa = ENVIRONMENTS.map((e) => (e.name === "development" ? { ...e, verticalPodAutoscaler: { enabled: false } } : e));
    expect(() => buildPlatform(Testing.app(), noVpa)).toThrow("development.verticalPodAutoscaler.enabled: false, but service auth-svc asks for a VerticalPodAutoscaler");
  });
});

/** A second service made the documented way: a copy of auth-svc's chart directory with new values, the templates untouched. */
function copyChart(name: string, service: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), "aivo-second-"));
  cpSync(join(ROOT, "helm", "library"), join(root, "helm", "library"), { recursive: true });
  const dir = join(root, "helm", "services", name);
  cpSync(join(ROOT, "helm", "services", "auth-svc"), dir, { recursive: true, filter: (src) => !/\/charts($|\/)|Chart\.lock$/.test(src) });
  writeFileSync(join(dir, "Chart.yaml"), readFileSync(join(dir, "Chart.yaml"), "utf8").replace(/^name: auth-svc$/m, `name: ${name}`));
  const values = parseYaml(readFileSync(join(dir, "values.yaml"), "utf8"));
  writeFileSync(join(dir, "values.yaml"), stringify({ ...values, service: { ...values.service, ...service } }));
  return root;
}

describe("a second service, a copy of the values", () => {
  const reports = { name: "reports-svc", description: "report generation", port: 8081, placement: "spot", dataStores: { postgres: true, redis: false }, publicPaths: ["/api/reports/*"], calls: ["auth-svc"], verticalPodAutoscaler: false };
  const root = copyChart("reports-svc", reports);
  const chart = loadServiceChart("reports-svc", root);
  const secondApp = Testing.app();
  // A spot-placed service needs a spot node that always exists (the capacity check counts minSize).
  const withSpot = { ...development, eks: { ...development.eks, nodeGroups: { ...DEFAULT_NODE_GROUPS, spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 1 } } } };
  buildPlatform(secondApp, [withSpot], ACCOUNT, [...SERVICES, chart]);
  const doc = synthApp(secondApp)["development-services"];
  const applications = manifestsOf(doc, "Application").map((m) => m.manifest);

  it("shares the templates: its chart differs from auth-svc's only in Chart.yaml's name and values.yaml", () => {
    for (const file of ["templates/service.yaml", "values.schema.json", ...Object.values(TIER_VALUES_FILES)]) {
      expect(readFileSync(join(root, chart.path, file), "utf8")).toBe(readFileSync(join(ROOT, "helm/services/auth-svc", file), "utf8"));
    }
  });

  it("gets its own repository, roles and Application beside auth-svc, and the peers of its calls", () => {
    expect(configsOf(doc, "aws_ecr_repository").map((r) => r.name).sort()).toEqual(["aivo-development-auth-svc", "aivo-development-reports-svc"]);
    expect(applications.map((a) => a.metadata.name).sort()).toEqual(["auth-svc", "reports-svc"]);
    const platformOf = (n: string) => applications.find((a) => a.metadata.name === n)!.spec.source.helm.valuesObject.platform;
    expect(platformOf("reports-svc").peers).toEqual({ calls: [{ name: "auth-svc", port: 8080 }], callers: [] });
    expect(platformOf("auth-svc").peers).toEqual({ calls: [], callers: ["reports-svc"] });
    expect(platformOf("reports-svc").redis).toBeUndefined();
  });

  const binary = helmOrSkip("helm template of a copied service chart");
  (binary ? it : it.skip)("renders with Helm into its own objects, on spot, in the same IngressGroup", () => {
    const dir = join(root, chart.path);
    buildDependencies(binary!, dir);
    const app = applications.find((a) => a.metadata.name === "reports-svc")!;
    const platformValues = JSON.parse(JSON.stringify(app.spec.source.helm.valuesObject).replace(/\$\{[^}]+\}/g, "arn:aws:iam::123456789012:role/x"));
    const out = helm(binary!, ["template", "reports-svc", dir, "-n", "aivo", "-f", join(dir, "values-dev.yaml"), "-f", valuesFile(platformValues), "-f", valuesFile({ image: { tag: "1", digest: "" } })]);
    expect(out.stderr).toBe("");
    const rendered = parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean);
    const deployment = rendered.find((o) => o.kind === "Deployment");
    expect(deployment.metadata.name).toBe("reports-svc");
    expect(deployment.spec.template.spec.tolerations[0].value).toBe("spot");
    const ingress = rendered.find((o) => o.kind === "Ingress");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"]).toBe("aivo-development");
    expect(ingress.spec.rules[0].http.paths[0].path).toBe("/api/reports");
    expect(rendered.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "reports-svc").spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "auth-svc" } } }],
      ports: [{ protocol: "TCP", port: 8080 }],
    });
  });

  it("is refused when it claims another service's public path", () => {
    const clash = loadServiceChart("reports-svc", copyChart("reports-svc", { ...reports, publicPaths: ["/api/auth/*"] }));
    expect(() => buildPlatform(Testing.app(), [development], ACCOUNT, [...SERVICES, clash])).toThrow(
      'services.reports-svc.publicPaths[0]: "/api/auth/*" is already a public path of auth-svc; public paths must be unique across services',
    );
  });
});

describe("the origin health check path", () => {
  it("must be the readiness path of a public service, else the build names the field and the choices", () => {
    const production = ENVIRONMENTS.find((e) => e.tier === "production")!;
    const moved = { ...production, edge: { ...production.edge, healthCheckPath: "/healthz" } };
    expect(() => buildPlatform(Testing.app(), [moved])).toThrow(
      `${moved.name}.edge.healthCheckPath: "/healthz" is the readiness path of no public service (auth-svc: ${SERVICES.find((c) => c.spec.name === "auth-svc")!.spec.probes.readiness}); Route 53 would get the ALB's 404. Use one of them`,
    );
  });
});
