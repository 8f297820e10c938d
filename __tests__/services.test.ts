import { originNames } from "../modules/aws/edge/origin-names";
import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { ACCOUNT } from "../environments/account";
import { development } from "../environments/development";
import { SERVICES } from "../environments/services";
import { authSvc } from "../environments/services/auth-svc";
import { IMAGE_TAGS_OUTPUT, deployedDeploymentId, imageTagExpression, imageTagVariableName } from "../environments/services-stack";
import { ServiceSpec, parseCpu, parseMemory } from "../modules/aws/delivery/service";
import { TerraformJson, configsOf, policy } from "./helpers";
import { manifestOf, manifestsOf, synthApp } from "./kubernetes-helpers";
import { SERVICE_MODELS } from "./service-models";

const app = Testing.app();
const platform = buildPlatform(app);
const docs = synthApp(app);
const names = ENVIRONMENTS.map((e) => e.name);

/** The values auth-svc must have per environment (the table). */
const AUTH_SVC_EXPECTED: Record<string, { min: number; max: number }> = {
  development: { min: 1, max: 3 },
  staging: { min: 2, max: 6 },
  production: { min: 3, max: 20 },
};

describe("the services stacks", () => {
  it("exist per environment as <env>-services, after <env>-workloads", () => {
    for (const name of names) {
      expect(platform.services[name].node.id).toBe(`${name}-services`);
      expect(platform.services[name].dependencies).toEqual(expect.arrayContaining([platform.workloads[name], platform.environments[name]]));
    }
  });

  it("grow auth-svc's resources by tier", () => {
    const requests = names.map((n) => manifestOf(docs[`${n}-services`], "Deployment", "auth-svc").manifest.spec.template.spec.containers[0].resources.requests);
    const cpu = requests.map((r) => parseCpu(r.cpu)!);
    const memory = requests.map((r) => parseMemory(r.memory)!);
    expect(cpu).toEqual([...cpu].sort((a, b) => a - b));
    expect(new Set(cpu).size).toBe(3);
    expect(memory).toEqual([...memory].sort((a, b) => a - b));
    expect(new Set(memory).size).toBe(3);
  });
});

describe.each(names)("%s-services", (name) => {
  const config = ENVIRONMENTS.find((e) => e.name === name)!;
  const doc: TerraformJson = docs[`${name}-services`];
  const manifest = (kind: string, object = "auth-svc") => manifestOf(doc, kind, object).manifest;

  it("matches the reviewed snapshot of its Terraform", () => {
    expect(doc).toMatchSnapshot();
  });

  it("checks every Kubernetes object against its upstream schema", () => {
    const objects = manifestsOf(doc);
    expect(new Set(objects.map((o) => o.manifest.kind))).toEqual(new Set(Object.keys(SERVICE_MODELS)));
    for (const { manifest: m } of objects) expect(() => new SERVICE_MODELS[m.kind](m).validate()).not.toThrow();
  });

  it("gives auth-svc a VerticalPodAutoscaler that only recommends (the HPA acts on CPU)", () => {
    const vpa = manifest("VerticalPodAutoscaler");
    expect(vpa.spec).toMatchObject({ targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "auth-svc" }, updatePolicy: { updateMode: "Off" } });
  });

  it("runs auth-svc with its replicas, HPA bounds and resources for the tier", () => {
    const expected = AUTH_SVC_EXPECTED[name];
    expect(manifest("HorizontalPodAutoscaler").spec).toMatchObject({ minReplicas: expected.min, maxReplicas: expected.max });
    const values = authSvc.tiers[config.tier];
    const resources = manifest("Deployment").spec.template.spec.containers[0].resources;
    expect(resources.requests).toEqual(values.requests);
    expect(resources.limits.memory).toBe(values.limits!.memory);
  });

  it("reads only aivo/<env>/auth-svc/* secrets with its role, trusted by its service account only", () => {
    const role = configsOf(doc, "aws_iam_role").find((r) => r.name === `aivo-${name}-auth-svc`)!;
    expect(policy(role.assume_role_policy).Statement[0].Condition.StringEquals).toEqual(
      expect.objectContaining({ [Object.keys(policy(role.assume_role_policy).Statement[0].Condition.StringEquals)[0]]: "system:serviceaccount:aivo:auth-svc" }),
    );
    const statements = policy(configsOf(doc, "aws_iam_role_policy")[0].policy).Statement;
    const secretResources = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("secretsmanager:"))).map((s) => s.Resource);
    expect(secretResources).toHaveLength(1);
    expect(secretResources[0]).toMatch(new RegExp(`:secret:aivo/${name}/auth-svc/\\*$`));
    expect(statements.map((s) => s.Sid)).toEqual(["ReadOwnSecrets", "DecryptOwnSecrets"]);
  });

  it("lets in only the ALB's subnets and Prometheus; lets out DNS, Postgres and Redis in the database subnets, and HTTPS", () => {
    const np = manifest("NetworkPolicy").spec;
    expect(np.ingress[0].from).toEqual(config.network.publicSubnets.map((cidr) => ({ ipBlock: { cidr } })));
    expect(np.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "monitoring" });
    const database = config.network.databaseSubnets.map((cidr) => ({ ipBlock: { cidr } }));
    expect(np.egress.slice(1)).toEqual([
      { to: database, ports: [{ protocol: "TCP", port: 5432 }] },
      { to: database, ports: [{ protocol: "TCP", port: 6379 }] },
      { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });

  it("keeps auth-svc's images in an immutable, scanned repository under the environment's ECR key; replicated to the DR region in production only", () => {
    const repository = configsOf(doc, "aws_ecr_repository").find((r) => r.name === `aivo-${name}-auth-svc`)!;
    expect(repository).toMatchObject({ image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true } });
    expect(repository.encryption_configuration[0].kms_key).toMatch(/^\$\{aws_kms_key\.image-key_\w+\.arn\}$/);
    expect(configsOf(doc, "aws_kms_key")[0].enable_key_rotation).toBe(true);
    const replication = configsOf(doc, "aws_ecr_replication_configuration");
    if (config.drRegion) {
      expect(replication).toHaveLength(1);
      expect(replication[0].replication_configuration.rule[0].destination[0].region).toBe(config.drRegion);
      expect(replication[0].replication_configuration.rule[0].repository_filter).toEqual([{ filter: `aivo-${name}-`, filter_type: "PREFIX_MATCH" }]);
    } else {
      expect(replication).toHaveLength(0);
    }
  });

  it("serves /api/auth/* at origin.<domain> (and, with DR, the regional name it publishes) through the environment's IngressGroup, with the regional origin certificate", () => {
    const ingress = manifest("Ingress");
    const names = originNames(config.edge, config.dr?.traffic);
    expect(ingress.spec.rules.map((r: any) => r.host)).toContain(config.edge.originDomain);
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: "/api/auth", pathType: "Prefix" });
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"]).toBe(`aivo-${name}`);
    expect(ingress.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe(config.dr ? config.dr.traffic.primaryTarget : config.edge.originDomain);
    expect(ingress.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe(names.published);
    // The addons stack's groups (CloudFront's, then Route 53 health checkers'), by id through cross-stack references.
    const ref = (group: string) => `\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}-addons\\.outputs\\.cross-stack-output-aws_security_groupalb-origin-sg_${group}_\\w+id\\}`;
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/security-groups"]).toMatch(new RegExp(`^${ref("group")},${ref("health-checks")}$`));
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]).toContain(
      `deletion_protection.enabled=${config.tier === "production"}`,
    );
    const output = /outputs\.([^}]+)\}$/.exec(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"])![1];
    expect(docs[name].output![output].value).toMatch(/^\$\{aws_acm_certificate_validation\.edge_origin-certificate-validation_\w+\.certificate_arn\}$/);
  });

  it("takes the image tag from image_tag_auth_svc, else from the Deployment running in the cluster; refuses latest; stops a never-deployed service", () => {
    const variable = (doc as any).variable[imageTagVariableName("auth-svc")];
    expect(variable).toMatchObject({ type: "string", default: "", nullable: false });
    expect(variable.validation[0].condition).toContain('lower(var.image_tag_auth_svc) != "latest"');
    expect(doc.data!.kubernetes_resources[deployedDeploymentId("auth-svc")]).toMatchObject({
      api_version: "apps/v1",
      kind: "Deployment",
      namespace: "aivo",
      field_selector: "metadata.name=auth-svc",
    });
    const pattern = /regex\("([^"]+)"/.exec(imageTagExpression("auth-svc"))![1];
    expect(new RegExp(pattern).exec("123456789012.dkr.ecr.us-east-1.amazonaws.com/aivo-dev-auth-svc:1.4.2")![1]).toBe("1.4.2");
    expect(imageTagExpression("auth-svc")).toBe(
      'tostring(var.image_tag_auth_svc != "" ? var.image_tag_auth_svc : try(regex(":([^:/@]+)$", data.kubernetes_resources.deployed_auth_svc.objects[0].spec.template.spec.containers[0].image)[0], ""))',
    );
    const deployment = manifestOf(doc, "Deployment", "auth-svc");
    expect(deployment.manifest.spec.template.spec.containers[0].image).toMatch(
      new RegExp(`^\\$\\{aws_ecr_repository\\.auth-svc_repository_\\w+\\.repository_url\\}:\\$\\{${escape(imageTagExpression("auth-svc"))}\\}$`),
    );
    expect(deployment.resource.lifecycle.precondition[0].condition).toBe(`\${(${imageTagExpression("auth-svc")}) != ""}`);
    expect(doc.output![IMAGE_TAGS_OUTPUT].value).toEqual({ "auth-svc": `\${${imageTagExpression("auth-svc")}}` });
    expect(doc.output!.repository_urls.value["auth-svc"]).toMatch(/^\$\{aws_ecr_repository\.auth-svc_repository_\w+\.repository_url\}$/);
    expect(doc.output!.role_arns.value["auth-svc"]).toMatch(/^\$\{aws_iam_role\.auth-svc_role_\w+\.arn\}$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("a service asking for a VPA where the environment has none", () => {
  it("stops synthesis naming the setting and the service", () => {
    const noVpa = ENVIRONMENTS.map((e) => (e.name === "development" ? { ...e, verticalPodAutoscaler: { enabled: false } } : e));
    expect(() => buildPlatform(Testing.app(), noVpa)).toThrow(
      "development.verticalPodAutoscaler.enabled: false, but service auth-svc asks for a VerticalPodAutoscaler",
    );
  });
});

describe("a second service, added by config alone", () => {
  const reportsSvc: ServiceSpec = {
    name: "reports-svc",
    description: "report generation",
    port: 8081,
    probes: { liveness: "/health", readiness: "/ready" },
    placement: "spot",
    dataStores: [{ kind: "postgres" }],
    publicPaths: ["/api/reports/*"],
    metrics: { port: 9090 },
    calls: ["auth-svc"],
    tiers: Object.fromEntries(
      ["development", "staging", "production"].map((t) => [t, { minReplicas: 1, maxReplicas: 2, requests: { cpu: "100m", memory: "128Mi" } }]),
    ),
  };
  // A spot-placed service needs a spot node that always exists (the capacity check counts minSize).
  const withSpot = { ...development, eks: { ...development.eks, nodeGroups: { ...DEFAULT_NODE_GROUPS, spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 1 } } } };
  const secondApp = Testing.app();
  buildPlatform(secondApp, [withSpot], ACCOUNT, [...SERVICES, reportsSvc]);
  const doc = synthApp(secondApp)["development-services"];

  it("gets its own repository, role, variable and objects beside auth-svc", () => {
    expect(configsOf(doc, "aws_ecr_repository").map((r) => r.name).sort()).toEqual(["aivo-development-auth-svc", "aivo-development-reports-svc"]);
    expect(configsOf(doc, "aws_iam_role").map((r) => r.name).sort()).toEqual(["aivo-development-auth-svc", "aivo-development-reports-svc"]);
    expect(Object.keys((doc as any).variable).sort()).toEqual(["image_tag_auth_svc", "image_tag_reports_svc"]);
    expect(Object.keys(doc.output![IMAGE_TAGS_OUTPUT].value).sort()).toEqual(["auth-svc", "reports-svc"]);
    for (const { manifest: m } of manifestsOf(doc)) expect(() => new SERVICE_MODELS[m.kind](m).validate()).not.toThrow();
    expect(manifestsOf(doc, "Deployment").map((d) => d.manifest.metadata.name).sort()).toEqual(["auth-svc", "reports-svc"]);
  });

  it("joins the same IngressGroup (one ALB) and runs on spot", () => {
    const ingress = manifestOf(doc, "Ingress", "reports-svc").manifest;
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"]).toBe("aivo-development");
    expect(ingress.spec.rules[0].http.paths[0].path).toBe("/api/reports");
    expect(manifestOf(doc, "Deployment", "reports-svc").manifest.spec.template.spec.tolerations[0].value).toBe("spot");
  });

  it("calls auth-svc: its egress reaches auth-svc's pods on 8080, and auth-svc lets it in", () => {
    const reports = manifestOf(doc, "NetworkPolicy", "reports-svc").manifest.spec;
    expect(reports.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "auth-svc" } } }], ports: [{ protocol: "TCP", port: 8080 }] });
    const auth = manifestOf(doc, "NetworkPolicy", "auth-svc").manifest.spec;
    expect(auth.ingress).toContainEqual({
      from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["reports-svc"] }] } }],
      ports: [{ protocol: "TCP", port: 8080 }],
    });
  });

  it("is refused when it claims another service's public path", () => {
    expect(() => buildPlatform(Testing.app(), [development], ACCOUNT, [...SERVICES, { ...reportsSvc, publicPaths: ["/api/auth/*"] }])).toThrow(
      'services.reports-svc.publicPaths[0]: "/api/auth/*" is already a public path of auth-svc; public paths must be unique across services',
    );
  });
});

describe("the origin health check path", () => {
  it("must be the readiness path of a public service, else the build names the field and the choices", () => {
    const production = ENVIRONMENTS.find((e) => e.tier === "production")!;
    const moved = { ...production, edge: { ...production.edge, healthCheckPath: "/healthz" } };
    expect(() => buildPlatform(Testing.app(), [moved])).toThrow(
      `${moved.name}.edge.healthCheckPath: "/healthz" is the readiness path of no public service (auth-svc: ${authSvc.probes.readiness}); Route 53 would get the ALB's 404. Use one of them`,
    );
  });
});
