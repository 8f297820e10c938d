import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { stringify } from "yaml";
import { EcrReplication } from "../modules/aws/delivery/ecr-replication";
import { EcrPushRoles, imagesEnvironment } from "../modules/aws/delivery/ecr-push-roles";
import { Naming } from "../modules/shared/naming";
import {
  ServiceChart,
  ServiceSpec,
  imageLifecyclePolicy,
  ingressPaths,
  isDeployableImageTag,
  loadServiceChart,
  parseCpu,
  parseMemory,
  validateServiceRegistry,
  NLB_LOAD_BALANCER_CLASS,
  NLB_PORT_NAME,
  buildNlbService,
  nlbIngressRule,
  nlbServiceAnnotations,
} from "../modules/aws/delivery/service";
import { journalSvc } from "./fixtures/journal-svc";
import { configsOf, onlyResource, parse, policy } from "./helpers";
import { applicationOf, fakeEnvironment, synthService } from "./service-fixtures";
import { validateWithModels } from "./kubernetes-validate";

const base: ServiceSpec = {
  name: "demo-svc",
  description: "a demo",
  port: 8080,
  probes: { liveness: "/live", readiness: "/ready" },
  dataStores: { postgres: true, redis: true },
  awsAccess: [
    { kind: "s3-bucket", bucket: "uploads", access: "read-write" },
    { kind: "sqs-queue", queue: "jobs", access: "consume" },
    { kind: "sns-topic", topic: "events" },
  ],
  keepImages: 10,
};
const release = (strategy: "rolling" | "canary", valuesFile: string) => ({ valuesFile, tag: "1.2.3", digest: `sha256:${"0".repeat(64)}`, strategy, minReplicas: 2 });
const chartOf = (spec: ServiceSpec): ServiceChart => ({
  path: `helm/services/${spec.name}`,
  spec,
  tiers: { development: release("rolling", "values-dev.yaml"), staging: release("canary", "values-staging.yaml"), production: release("canary", "values-prod.yaml") },
});

describe("ApplicationService: the AWS side and the Argo CD Application", () => {
  const doc = synthService(chartOf(base), fakeEnvironment("staging", "staging"));
  const app = applicationOf(doc);

  it("creates no Kubernetes object but the Application, valid against Argo CD's CRD schema", () => {
    expect(configsOf(doc, "kubernetes_manifest").map((m) => m.manifest.kind)).toEqual(["Application"]);
    expect(validateWithModels([{ module: "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application", className: "Application", object: app }])).toEqual([""]);
  });

  it("points Argo CD at the chart with the tier's values file, syncing automatically into aivo", () => {
    expect(app.spec.source).toMatchObject({ path: "helm/services/demo-svc", targetRevision: "main", helm: { releaseName: "demo-svc", valueFiles: ["values-staging.yaml"] } });
    expect(app.spec.destination).toEqual({ server: "https://kubernetes.default.svc", namespace: "aivo" });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    const platform = app.spec.source.helm.valuesObject.platform;
    expect(platform.postgres).toMatchObject({ serviceSecret: "aivo/staging/demo-svc/database", host: "db.internal", port: 5432 });
    expect(platform.redis).toMatchObject({ authTokenSecret: "aivo/staging/elasticache/auth-token" });
    expect(JSON.stringify(platform)).not.toMatch(/password|token"\s*:/i);
  });

  it("gives the service account its own role, trusted only by that service account, reading only aivo/<env>/<service>/*", () => {
    const role = configsOf(doc, "aws_iam_role").find((r) => r.name === "aivo-staging-demo-svc")!;
    expect(policy(role.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"]).toBe("system:serviceaccount:aivo:demo-svc");
    const statements = policy(configsOf(doc, "aws_iam_role_policy").find((p) => p.name === "aivo-staging-demo-svc")!.policy).Statement;
    expect(statements[0]).toMatchObject({ Sid: "ReadOwnSecrets", Resource: expect.stringMatching(/:secret:aivo\/staging\/demo-svc\/\*$/) });
    expect(statements[2].Resource).toEqual([expect.stringMatching(/:s3:::aivo-staging-uploads$/), expect.stringMatching(/:s3:::aivo-staging-uploads\/\*$/)]);
    expect(statements[3].Resource).toMatch(/:sqs:.*:aivo-staging-jobs$/);
    expect(statements[4]).toMatchObject({ Action: "sns:Publish", Resource: expect.stringMatching(/:sns:.*:aivo-staging-events$/) });
    for (const s of statements.slice(1)) expect([s.Resource].flat().every((r: string) => r !== "*")).toBe(true);
  });

  it("lets the database bootstrap read the master secret and write only the service's own database secret", () => {
    const role = configsOf(doc, "aws_iam_role").find((r) => r.name === "aivo-staging-demo-svc-db-bootstrap")!;
    expect(policy(role.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"]).toBe("system:serviceaccount:aivo:demo-svc-db-bootstrap");
    const statements = policy(configsOf(doc, "aws_iam_role_policy").find((p) => p.name === "aivo-staging-demo-svc-db-bootstrap")!.policy).Statement;
    const env = fakeEnvironment("staging", "staging");
    expect(statements.map((s: Record<string, unknown>) => s.Resource)).toEqual([
      env.dataStores.postgres!.masterSecretArn,
      env.dataStores.postgres!.masterSecretKmsKeyArn,
      expect.stringMatching(/^\$\{aws_secretsmanager_secret\.demo-svc_database-secret_\w+\.arn\}$/),
      env.secretsKeyArn,
    ]);
    expect(statements[2].Action).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]);
    // Decrypt and encrypt through Secrets Manager only.
    for (const s of [statements[1], statements[3]]) expect(s.Condition.StringEquals["kms:ViaService"]).toMatch(/^secretsmanager\.\$\{data\.aws_region\.[\w-]+\.region\}\.amazonaws\.com$/);
  });

  it("creates the service's database secret empty, with the services' CMK and the tag External Secrets writes only with", () => {
    expect(onlyResource(doc, "aws_secretsmanager_secret")).toMatchObject({
      name: "aivo/staging/demo-svc/database",
      kms_key_id: fakeEnvironment("staging", "staging").secretsKeyArn,
      tags: { "managed-by": "external-secrets" },
      recovery_window_in_days: 0,
    });
    expect(configsOf(doc, "aws_secretsmanager_secret_version")).toEqual([]);
  });

  it("has no bootstrap role without PostgreSQL", () => {
    const noDb = synthService(chartOf({ ...base, dataStores: { redis: true } }), fakeEnvironment("staging", "staging"));
    expect(configsOf(noDb, "aws_iam_role").map((r) => r.name)).toEqual(["aivo-staging-demo-svc"]);
    expect(configsOf(noDb, "aws_secretsmanager_secret")).toEqual([]);
    expect(applicationOf(noDb).spec.source.helm.valuesObject.platform.postgres).toBeUndefined();
  });

  it("keeps its images in an immutable, scanned, CMK-encrypted repository that expires all but the last keepImages", () => {
    expect(onlyResource(doc, "aws_ecr_repository")).toMatchObject({
      name: "aivo-staging-demo-svc",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: fakeEnvironment("staging", "staging").imageKeyArn }],
      force_delete: false,
    });
    expect(onlyResource(synthService(chartOf(base), fakeEnvironment("dev", "development")), "aws_ecr_repository").force_delete).toBe(true);
    const rules = JSON.parse(onlyResource(doc, "aws_ecr_lifecycle_policy").policy).rules;
    expect(rules[1].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
    expect(imageLifecyclePolicy(30)).toContain('"countNumber":30');
  });

  it("hands the chart its callers and callees; refuses a call it was given no peer for", () => {
    const withPeers = synthService(chartOf({ ...base, calls: ["users-svc"] }), fakeEnvironment("staging", "staging"), { calls: [{ name: "users-svc", port: 9000 }], callers: ["web-svc"] });
    expect(applicationOf(withPeers).spec.source.helm.valuesObject.platform.peers).toEqual({ calls: [{ name: "users-svc", port: 9000 }], callers: ["web-svc"] });
    expect(() => synthService(chartOf({ ...base, calls: ["users-svc"] }), fakeEnvironment("staging", "staging"))).toThrow(
      'staging.services.demo-svc.calls[0]: "users-svc" is not among the peers given to the template',
    );
  });
});

describe("ApplicationService validation", () => {
  const env = fakeEnvironment("staging", "staging");
  it("rejects a data store the environment does not have, and a tier without a values file", () => {
    const { redis: _redis, ...withoutRedis } = env.dataStores;
    expect(() => synthService(chartOf(base), { ...env, dataStores: withoutRedis })).toThrow(
      "staging.services.demo-svc.dataStores.redis: staging has no redis (it has postgres); turn it off in helm/services/demo-svc/values.yaml or add the data store to the environment",
    );
    const { staging: _staging, ...tiers } = chartOf(base).tiers;
    expect(() => synthService({ ...chartOf(base), tiers }, env)).toThrow('staging.services.demo-svc: helm/services/demo-svc has no values file for tier "staging"');
  });

  it("routes the origin health check only to the readiness path of the service that answers it", () => {
    const app = applicationOf(synthService(chartOf(base), env, undefined, "/ready"));
    expect(app.spec.source.helm.valuesObject.platform.ingress.healthCheckPath).toBe("/ready");
    expect(applicationOf(synthService(chartOf(base), env)).spec.source.helm.valuesObject.platform.ingress.healthCheckPath).toBeUndefined();
    expect(() => synthService(chartOf(base), env, undefined, "/healthz")).toThrow(
      'staging.services.demo-svc: the origin health check path "/healthz" is not the readiness path "/ready" of the service that answers it',
    );
    expect(ingressPaths({ publicPaths: ["/api/auth/*", "/api/auth/login"], probes: base.probes }, "/ready")).toEqual([
      { path: "/api/auth", pathType: "Prefix" },
      { path: "/api/auth/login", pathType: "Exact" },
      { path: "/ready", pathType: "Exact" },
    ]);
  });

  it("refuses a recorded image the chart would refuse: latest, or a digest that is not sha256", () => {
    const chart = chartOf(base);
    const withRelease = (r: Partial<ServiceChart["tiers"][string]>) => ({ ...chart, tiers: { ...chart.tiers, staging: { ...chart.tiers.staging, ...r } } });
    expect(() => synthService(withRelease({ tag: "latest" }), env)).toThrow('staging.services.demo-svc.image.tag: "latest" is not a deployable image tag');
    expect(() => synthService(withRelease({ digest: "md5:abc" }), env)).toThrow('staging.services.demo-svc.image.digest: "md5:abc" in helm/services/demo-svc/values-staging.yaml is not a sha256 digest');
  });

  it("rejects names, ports, paths and variables the chart can't carry", () => {
    const expectError = (spec: ServiceSpec, message: string) => expect(() => validateServiceRegistry([spec])).toThrow(message);
    expectError({ ...base, name: "Auth_Svc" }, 'services.Auth_Svc.name: "Auth_Svc" is not a DNS-1123 label of at most 37 characters');
    expectError({ ...base, port: 80 }, "services.demo-svc.port: 80 is a privileged port a non-root container cannot bind");
    expectError({ ...base, publicPaths: ["api/*"] }, 'services.demo-svc.publicPaths[0]: "api/*" is not a public path');
    expectError({ ...base, probes: { liveness: "live", readiness: "/r" } }, 'services.demo-svc.probes.liveness: "live" is not an HTTP path');
    expectError({ ...base, awsAccess: [{ kind: "s3-bucket", bucket: "*", access: "read" }] }, 'services.demo-svc.awsAccess[0]: "*" is not a resource name of the environment');
    expectError({ ...base, env: { DATABASE_HOST: "x" } }, "services.demo-svc.env.DATABASE_HOST: names starting with DATABASE_, REDIS_, AWS_ are set by the template");
    expectError({ ...base, dataStores: { kafka: true } as never }, 'services.demo-svc.dataStores.kafka: "kafka" is not a data store the template knows');
  });

  it("rejects public paths and names used by two services, and calls to no registered service", () => {
    expect(() => validateServiceRegistry([{ ...base, publicPaths: ["/api/demo/*"] }, { ...base, name: "other-svc", publicPaths: ["/api/demo/*"] }])).toThrow(
      'services.other-svc.publicPaths[0]: "/api/demo/*" is already a public path of demo-svc; public paths must be unique across services',
    );
    expect(() => validateServiceRegistry([base, base])).toThrow('services[1].name: "demo-svc" is also the name of services[0]; names must be unique');
    expect(() => validateServiceRegistry([{ ...base, calls: ["users-svc"] }])).toThrow('services.demo-svc.calls[0]: "users-svc" is not a service; use one of demo-svc');
  });
});

describe("loadServiceChart", () => {
  const chartDir = (name: string, values: unknown, tierFiles: Record<string, unknown> = {}) => {
    const root = mkdtempSync(join(tmpdir(), "aivo-chart-"));
    const dir = join(root, "helm", "services", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
    writeFileSync(join(dir, "values.yaml"), stringify(values));
    for (const [file, v] of Object.entries(tierFiles)) writeFileSync(join(dir, file), stringify(v));
    return root;
  };
  const values = { service: base, image: { tag: "", digest: "" }, delivery: { strategy: "rolling" }, replicas: { min: 1, max: 3 } };

  it("reads the service block and each tier's recorded image, strategy and fewest replicas", () => {
    const root = chartDir("demo-svc", values, {
      "values-dev.yaml": { image: { tag: "abc", digest: "" } },
      "values-prod.yaml": { delivery: { strategy: "canary" }, replicas: { min: 3, max: 20 } },
    });
    const chart = loadServiceChart("demo-svc", root);
    expect(chart.path).toBe("helm/services/demo-svc");
    expect(chart.spec).toEqual(base);
    expect(chart.tiers).toEqual({
      development: { valuesFile: "values-dev.yaml", tag: "abc", digest: "", strategy: "rolling", minReplicas: 1 },
      production: { valuesFile: "values-prod.yaml", tag: "", digest: "", strategy: "canary", minReplicas: 3 },
    });
  });

  it("refuses a chart whose directory is not the service's name, a values.yaml without service:, a bad strategy or replica count", () => {
    expect(() => loadServiceChart("demo-svc", chartDir("demo-svc", values, { "values-prod.yaml": { replicas: { min: 0, max: 3 } } }))).toThrow(
      "helm/services/demo-svc/values-prod.yaml: replicas.min 0 is not a whole number ≥ 1; set the fewest pods the service runs",
    );
    expect(() => loadServiceChart("other-svc", chartDir("other-svc", values))).toThrow(
      'helm/services/other-svc/values.yaml: service.name "demo-svc" is not the chart\'s directory name "other-svc"',
    );
    expect(() => loadServiceChart("demo-svc", chartDir("demo-svc", { image: {} }))).toThrow("helm/services/demo-svc/values.yaml: has no service: block");
    expect(() => loadServiceChart("demo-svc", chartDir("demo-svc", values, { "values-staging.yaml": { delivery: { strategy: "blue-green" } } }))).toThrow(
      'helm/services/demo-svc/values-staging.yaml: delivery.strategy "blue-green" is not one of rolling, canary',
    );
    expect(() => loadServiceChart("demo-svc", chartDir("demo-svc", { ...values, service: { ...base, port: 80 } }))).toThrow(
      "helm/services/demo-svc/values.yaml: service.port: 80 is a privileged port",
    );
  });
});

describe("EcrPushRoles", () => {
  const doc = parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new EcrPushRoles(scope, "push", {
        naming: new Naming("aivo", "account"),
        repository: "aivo-platform/aivo-infrastructure",
        providerArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        environments: { development: "us-east-1", production: "us-west-2" },
        services: ["auth-svc"],
      });
    }),
  );

  it("gives each environment and service a role trusted only by the repository's images-<env> GitHub environment", () => {
    const roles = configsOf(doc, "aws_iam_role");
    expect(roles.map((r) => r.name)).toEqual(["aivo-development-auth-svc-push", "aivo-production-auth-svc-push"]);
    expect(policy(roles[1].assume_role_policy).Statement[0].Condition.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": `repo:aivo-platform/aivo-infrastructure:environment:${imagesEnvironment("production")}`,
    });
  });

  it("pushes only to its own repository, in its environment's region; pulls only the same service", () => {
    const statements = policy(configsOf(doc, "aws_iam_role_policy")[1].policy).Statement;
    expect(statements[1].Resource).toMatch(/^arn:\$\{[^}]+\}:ecr:us-west-2:\$\{[^}]+\}:repository\/aivo-production-auth-svc$/);
    expect(statements[1].Action).toContain("ecr:PutImage");
    expect(statements[2].Resource).toMatch(/:ecr:\*:\$\{[^}]+\}:repository\/aivo-\*-auth-svc$/);
    expect(statements[2].Action).not.toContain("ecr:PutImage");
    expect(statements[0]).toMatchObject({ Action: "ecr:GetAuthorizationToken", Resource: "*" });
  });
});

describe("EcrReplication", () => {
  const doc = parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      const dr = new AwsProvider(scope, "aws-dr", { region: "us-west-2", alias: "dr" });
      new EcrReplication(scope, "replication", { naming: new Naming("aivo", "production"), destinationRegion: "us-west-2", destinationProvider: dr });
    }),
  );

  it("replicates the environment's repositories (prefix aivo-<env>-) to the DR region of the same account", () => {
    const rule = onlyResource(doc, "aws_ecr_replication_configuration").replication_configuration.rule[0];
    expect(rule.repository_filter).toEqual([{ filter: "aivo-production-", filter_type: "PREFIX_MATCH" }]);
  });

  it("creates the replicas from a ROOT template for REPLICATION in the DR region, encrypted with a CMK there, before replicating", () => {
    const template = onlyResource(doc, "aws_ecr_repository_creation_template");
    expect(template).toMatchObject({ provider: "aws.dr", prefix: "ROOT", applied_for: ["REPLICATION"], image_tag_mutability: "IMMUTABLE" });
    expect(template.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: expect.stringMatching(/aws_kms_key\.replication_replica-key_\w+\.arn/) }]);
    const key = onlyResource(doc, "aws_kms_key");
    expect(key).toMatchObject({ provider: "aws.dr", enable_key_rotation: true });
    expect(onlyResource(doc, "aws_ecr_replication_configuration").depends_on).toEqual([expect.stringMatching(/^aws_ecr_repository_creation_template\./)]);
    // ECR assumes the template's role to create the repository and use the key (nothing wider).
    const role = onlyResource(doc, "aws_iam_role");
    expect(template.custom_role_arn).toMatch(/aws_iam_role\.replication_template-role_\w+\.arn/);
    expect(policy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ecr.amazonaws.com" });
    const statements = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
    expect(statements.map((s) => s.Action)).toEqual([["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"], ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"]]);
    expect(statements[0].Resource).toMatch(/^arn:\$\{data\.aws_partition\.\S+\}:ecr:us-west-2:\$\{data\.aws_caller_identity\.\S+\}:repository\/aivo-production-\*$/);
  });
});

describe("quantities and helpers", () => {
  it("parse CPU and memory", () => {
    expect(parseCpu("250m")).toBe(250);
    expect(parseCpu("1Gi")).toBeUndefined();
    expect(parseMemory("256Mi")).toBe(256 * 2 ** 20);
    expect(parseMemory("12x")).toBeUndefined();
  });

  it("deploy only real tags", () => {
    expect(["1.2.3", "v2", "sha-0a1b2c3", "main_42"].every(isDeployableImageTag)).toBe(true);
    expect(["latest", "LATEST", "", "-x", "a b", "x".repeat(129)].some(isDeployableImageTag)).toBe(false);
  });
});

describe("ApplicationService with a Network Load Balancer (the second example service, journal-svc)", () => {
  const staging = fakeEnvironment("staging", "staging");
  const nlbEnvironment = {
    ...staging,
    networkLoadBalancers: {
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/origin",
      internalSubnetCidrs: ["10.20.1.0/24", "10.20.2.0/24"],
      publicSubnetCidrs: ["10.20.101.0/24", "10.20.102.0/24"],
      internalClientCidrs: ["10.20.0.0/16"],
      deletionProtection: true,
    },
  };
  const doc = synthService(chartOf(journalSvc), nlbEnvironment);
  const platform = applicationOf(doc).spec.source.helm.valuesObject.platform;

  it("hands the chart the NLB's annotations, computed once: internal TLS with the environment's certificate, pod IPs, HTTP/2", () => {
    const annotations = platform.networkLoadBalancer.annotations;
    expect(annotations).toEqual(nlbServiceAnnotations(journalSvc, journalSvc.networkLoadBalancer!, nlbEnvironment.networkLoadBalancers));
    const a = (key: string) => annotations[`service.beta.kubernetes.io/aws-load-balancer-${key}`];
    expect([a("scheme"), a("nlb-target-type"), a("ssl-cert"), a("ssl-ports"), a("backend-protocol"), a("alpn-policy")]).toEqual([
      "internal",
      "ip",
      "arn:aws:acm:us-east-1:123456789012:certificate/origin",
      NLB_PORT_NAME,
      "tcp",
      "HTTP2Only",
    ]);
    expect([a("healthcheck-protocol"), a("healthcheck-port"), a("healthcheck-path")]).toEqual(["http", "8080", "/healthz/ready"]);
    expect(a("attributes")).toContain("deletion_protection.enabled=true");
    expect(annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe("journal.internal.staging.aivo.edu");
    expect(platform.networkLoadBalancer.sourceRanges).toEqual(["10.20.0.0/16"]);
    expect(platform.networkLoadBalancer.ingressCidrs).toEqual(["10.20.1.0/24", "10.20.2.0/24"]);
  });

  it("builds the reference NLB Service the chart's must equal; internet-facing uses the public subnets, no source ranges", () => {
    const grpc = buildNlbService(journalSvc, journalSvc.networkLoadBalancer!, nlbEnvironment.networkLoadBalancers, { namespace: "aivo", labels: {} });
    expect(grpc.spec).toMatchObject({ type: "LoadBalancer", loadBalancerClass: NLB_LOAD_BALANCER_CLASS, ports: [{ name: NLB_PORT_NAME, port: 443, targetPort: NLB_PORT_NAME, protocol: "TCP" }] });
    const tcp = buildNlbService(journalSvc, { containerPort: 5432, protocol: "tcp", scheme: "internet-facing", listenerPort: 6432 }, nlbEnvironment.networkLoadBalancers, { namespace: "aivo", labels: {} });
    expect(tcp.metadata!.annotations!["service.beta.kubernetes.io/aws-load-balancer-alpn-policy"]).toBeUndefined();
    expect(tcp.spec!.ports![0].port).toBe(6432);
    expect(tcp.spec!.loadBalancerSourceRanges).toBeUndefined();
    expect(nlbIngressRule(journalSvc, { containerPort: 5432, protocol: "tcp", scheme: "internet-facing" }, nlbEnvironment.networkLoadBalancers).from).toEqual([
      { ipBlock: { cidr: "10.20.101.0/24" } },
      { ipBlock: { cidr: "10.20.102.0/24" } },
    ]);
  });

  it("lets the consumer read its topic as its own group and the topic's schema", () => {
    const statements = policy(configsOf(doc, "aws_iam_role_policy").find((p) => p.name === "aivo-staging-journal-svc")!.policy).Statement;
    expect(statements.find((s) => s.Sid === "KafkaConsume0")!.Resource).toMatch(/:topic\/aivo-staging-kafka\/\*\/journal\.events$/);
    expect(statements.find((s) => s.Sid === "KafkaGroup0")!.Resource).toMatch(/:group\/aivo-staging-kafka\/\*\/journal-svc$/);
    expect(statements.find((s) => s.Sid === "ReadSchema0")!.Resource[1]).toMatch(/:schema\/aivo-staging-events\/journal_events$/);
  });

  it.each<[string, Partial<ServiceSpec>, string]>([
    ["the HTTP port", { networkLoadBalancer: { containerPort: 8080, protocol: "tcp" } }, "services.journal-svc.networkLoadBalancer.containerPort: 8080 is the HTTP port"],
    ["a port beyond 65535", { networkLoadBalancer: { containerPort: 70000, protocol: "tcp" } }, "services.journal-svc.networkLoadBalancer.containerPort: 70000 is not a port 1-65535"],
    ["a bad listener port", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", listenerPort: 0 } }, "networkLoadBalancer.listenerPort: 0 is not a port 1-65535"],
    ["an unknown protocol", { networkLoadBalancer: { containerPort: 9090, protocol: "udp" as never } }, 'networkLoadBalancer.protocol: "udp" is not one of tcp, grpc'],
    ["an unknown scheme", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", scheme: "public" as never } }, 'networkLoadBalancer.scheme: "public" is not "internal" or "internet-facing"'],
    ["a malformed host name", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", hostname: "Journal_Internal" } }, 'networkLoadBalancer.hostname: "Journal_Internal" is not a lower-case DNS name'],
    ["a Kafka topic with a wildcard", { awsAccess: [{ kind: "kafka-topic", topic: "journal.*", access: "consume" }] }, 'awsAccess[0].topic: "journal.*" is not a Kafka topic name'],
    ["a Kafka access that is neither produce nor consume", { awsAccess: [{ kind: "kafka-topic", topic: "journal.events", access: "admin" as never }] }, 'awsAccess[0].access: "admin" is not "produce" or "consume"'],
  ])("rejects %s", (_what, change, message) => {
    expect(() => validateServiceRegistry([{ ...journalSvc, ...change }])).toThrow(message);
  });

  it("rejects an NLB in an environment that offers none", () => {
    expect(() => synthService(chartOf(journalSvc), staging)).toThrow("staging.services.journal-svc.networkLoadBalancer: staging offers no Network Load Balancer settings");
  });
});
