import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { EcrReplication } from "../modules/aws/delivery/ecr-replication";
import { Naming } from "../modules/shared/naming";
import {
  ApplicationService,
  ServiceEnvironment,
  ServicePeers,
  ServiceSpec,
  imageLifecyclePolicy,
  ingressPath,
  isDeployableImageTag,
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
import { manifestOf, manifestsOf } from "./kubernetes-helpers";
import { SERVICE_MODELS } from "./service-models";

const naming = new Naming("aivo", "staging");
const environment: ServiceEnvironment = {
  naming,
  tier: "staging",
  namespace: "aivo",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
  oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
  imageKeyArn: "arn:aws:kms:us-east-1:123456789012:key/ecr",
  dataStores: {
    postgres: { host: "db.internal", port: 5432, subnetCidrs: ["10.20.201.0/24", "10.20.202.0/24"], secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1" },
    redis: { host: "cache.internal", port: 6379, subnetCidrs: ["10.20.201.0/24", "10.20.202.0/24"], secret: "aivo/staging/elasticache/auth-token" },
  },
  secretStoreName: "aws-secrets-manager",
  prometheus: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, serviceMonitorLabels: { release: "kube-prometheus-stack" } },
  ingress: {
    groupName: "aivo-staging",
    host: "origin.staging.aivo.edu",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/origin",
    securityGroup: "aivo-staging-alb-origin",
    sourceCidrs: ["10.20.101.0/24", "10.20.102.0/24"],
    deletionProtection: false,
  },
};

const tier = { minReplicas: 2, maxReplicas: 6, requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } };
const base: ServiceSpec = {
  name: "demo-svc",
  description: "a demo",
  port: 8080,
  probes: { liveness: "/live", readiness: "/ready" },
  tiers: { staging: tier },
};

function synth(spec: ServiceSpec, env: ServiceEnvironment = environment, imageTag = "1.2.3", peers?: ServicePeers) {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new KubernetesProvider(scope, "kubernetes", {});
      new ApplicationService(scope, spec.name, { spec, environment: env, imageTag, peers });
    }),
  );
}

describe("ApplicationService, a full spec", () => {
  const spec: ServiceSpec = {
    ...base,
    placement: "memory",
    dataStores: [{ kind: "postgres", credentials: "master" }, { kind: "redis" }],
    awsAccess: [
      { kind: "s3-bucket", bucket: "uploads", access: "read-write" },
      { kind: "sqs-queue", queue: "jobs", access: "consume" },
      { kind: "sns-topic", topic: "events" },
    ],
    publicPaths: ["/api/demo/*", "/api/demo-login"],
    metrics: { port: 9090, path: "/prom", interval: "15s" },
    verticalPodAutoscaler: true,
    env: { LOG_LEVEL: "info" },
    terminationGracePeriodSeconds: 45,
    keepImages: 10,
  };
  const doc = synth(spec);
  const object = (kind: string) => manifestOf(doc, kind, "demo-svc").manifest;

  it("creates each object once, every one valid against its upstream schema", () => {
    const kinds = manifestsOf(doc).map((m) => m.manifest.kind);
    expect(kinds.filter((k) => k !== "ExternalSecret").sort()).toEqual(Object.keys(SERVICE_MODELS).filter((k) => k !== "ExternalSecret").sort());
    expect(kinds.filter((k) => k === "ExternalSecret")).toHaveLength(2);
    for (const { manifest } of manifestsOf(doc)) expect(() => new SERVICE_MODELS[manifest.kind](manifest).validate()).not.toThrow();
  });

  it("runs the image by tag from its repository, non-root, read-only, no capabilities, RuntimeDefault seccomp", () => {
    const pod = object("Deployment").spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toMatch(/^\$\{aws_ecr_repository\.demo-svc_repository_\w+\.repository_url\}:1\.2\.3$/);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
  });

  it("sets requests and limits, three probes on the spec's paths, zone spread and a graceful stop", () => {
    const deployment = object("Deployment");
    const pod = deployment.spec.template.spec;
    const c = pod.containers[0];
    expect(deployment.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(c.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: "/live", port: "http" });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: "/ready", port: "http" });
    expect(c.startupProbe.httpGet).toMatchObject({ path: "/live", port: "http" });
    expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
  });

  it("places the pods on the memory group: node selector and toleration of its taint", () => {
    const pod = object("Deployment").spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "node-type": "memory" });
    expect(pod.tolerations).toEqual([{ key: "workload-type", operator: "Equal", value: "memory", effect: "NoSchedule" }]);
  });

  it("gives the pod its credentials through ExternalSecrets from the ClusterSecretStore, endpoints as plain variables", () => {
    const postgres = manifestOf(doc, "ExternalSecret", "demo-svc-postgres").manifest;
    expect(postgres.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
    expect(postgres.spec.data).toEqual([
      { secretKey: "DATABASE_USERNAME", remoteRef: { key: environment.dataStores.postgres!.secret, property: "username" } },
      { secretKey: "DATABASE_PASSWORD", remoteRef: { key: environment.dataStores.postgres!.secret, property: "password" } },
    ]);
    const redis = manifestOf(doc, "ExternalSecret", "demo-svc-redis").manifest;
    expect(redis.spec.data).toEqual([{ secretKey: "REDIS_AUTH_TOKEN", remoteRef: { key: "aivo/staging/elasticache/auth-token" } }]);
    const c = object("Deployment").spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ secretRef: { name: "demo-svc-postgres" } }, { secretRef: { name: "demo-svc-redis" } }]);
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: "LOG_LEVEL", value: "info" },
        { name: "DATABASE_HOST", value: "db.internal" },
        { name: "REDIS_PORT", value: "6379" },
        { name: "REDIS_TLS", value: "true" },
      ]),
    );
  });

  it("scales with an HPA between the tier's bounds and keeps at most one pod down (PDB)", () => {
    expect(object("HorizontalPodAutoscaler").spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "demo-svc" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    expect(object("PodDisruptionBudget").spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "demo-svc" } },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    });
  });

  it("exposes the metrics port in the Service and scrapes it with a ServiceMonitor Prometheus selects", () => {
    expect(object("Service").spec.ports).toEqual([
      { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
      { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
    ]);
    const monitor = object("ServiceMonitor");
    expect(monitor.metadata.labels.release).toBe("kube-prometheus-stack");
    expect(monitor.spec.endpoints).toEqual([{ port: "metrics", path: "/prom", interval: "15s", scheme: "http" }]);
  });

  it("allows in only the ALB subnets (http port) and Prometheus (metrics port); out only DNS, its data stores and HTTPS", () => {
    const np = object("NetworkPolicy").spec;
    expect(np.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(np.ingress).toEqual([
      { from: [{ ipBlock: { cidr: "10.20.101.0/24" } }, { ipBlock: { cidr: "10.20.102.0/24" } }], ports: [{ protocol: "TCP", port: 8080 }] },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 9090 }],
      },
    ]);
    const database = [{ ipBlock: { cidr: "10.20.201.0/24" } }, { ipBlock: { cidr: "10.20.202.0/24" } }];
    expect(np.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      { to: database, ports: [{ protocol: "TCP", port: 5432 }] },
      { to: database, ports: [{ protocol: "TCP", port: 6379 }] },
      { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });

  it("joins the environment's IngressGroup over HTTPS with its certificate, the CloudFront-only SG and origin.<domain>", () => {
    const ingress = object("Ingress");
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/group.name": "aivo-staging",
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/certificate-arn": environment.ingress.certificateArn,
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/security-groups": "aivo-staging-alb-origin",
      "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
      "external-dns.alpha.kubernetes.io/hostname": "origin.staging.aivo.edu",
    });
    expect(ingress.spec.ingressClassName).toBe("alb");
    expect(ingress.spec.rules).toEqual([
      {
        host: "origin.staging.aivo.edu",
        http: {
          paths: [
            { path: "/api/demo", pathType: "Prefix", backend: { service: { name: "demo-svc", port: { name: "http" } } } },
            { path: "/api/demo-login", pathType: "Exact", backend: { service: { name: "demo-svc", port: { name: "http" } } } },
          ],
        },
      },
    ]);
  });

  it("gives the service account its own role, trusted only by that service account", () => {
    const account = object("ServiceAccount");
    expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.demo-svc_role_\w+\.arn\}$/);
    const role = onlyResource(doc, "aws_iam_role");
    expect(role.name).toBe("aivo-staging-demo-svc");
    const trust = policy(role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"]).toBe("system:serviceaccount:aivo:demo-svc");
  });

  it("reads only aivo/<env>/<service>/* secrets, and reaches only the named resources of its awsAccess", () => {
    const statements = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
    const secretArn = statements[0].Resource;
    expect(secretArn).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:secretsmanager:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:secret:aivo\/staging\/demo-svc\/\*$/);
    expect(statements[0]).toEqual({ Effect: "Allow", Sid: "ReadOwnSecrets", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn });
    expect(statements[1].Condition.ArnLike["kms:EncryptionContext:SecretARN"]).toBe(secretArn);
    expect(statements[2].Resource).toEqual([expect.stringMatching(/:s3:::aivo-staging-uploads$/), expect.stringMatching(/:s3:::aivo-staging-uploads\/\*$/)]);
    expect(statements[2].Action).toContain("s3:PutObject");
    expect(statements[3].Resource).toMatch(/:sqs:.*:aivo-staging-jobs$/);
    expect(statements[4]).toMatchObject({ Action: "sns:Publish", Resource: expect.stringMatching(/:sns:.*:aivo-staging-events$/) });
    expect(statements).toHaveLength(5);
    for (const s of statements) expect([s.Resource].flat().every((r: string) => r !== "*")).toBe(true);
  });

  it("keeps its images in an immutable, scanned, CMK-encrypted repository that expires all but the last keepImages", () => {
    const repository = onlyResource(doc, "aws_ecr_repository");
    expect(repository).toMatchObject({
      name: "aivo-staging-demo-svc",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: environment.imageKeyArn }],
      force_delete: false,
    });
    const rules = JSON.parse(onlyResource(doc, "aws_ecr_lifecycle_policy").policy).rules;
    expect(rules[1].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
    expect(rules[0].selection).toMatchObject({ tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 7 });
    expect(imageLifecyclePolicy(30)).toContain('"countNumber":30');
  });
});

describe("ApplicationService, a minimal internal spec on spot", () => {
  const doc = synth({ ...base, placement: "spot" });

  it("has no Ingress, ServiceMonitor or ExternalSecret, and lets nothing in", () => {
    expect(manifestsOf(doc).map((m) => m.manifest.kind).sort()).toEqual(
      ["Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"].sort(),
    );
    const np = manifestOf(doc, "NetworkPolicy", "demo-svc").manifest.spec;
    expect(np.ingress).toEqual([]);
    expect(np.egress).toHaveLength(2); // DNS and HTTPS
  });

  it("tolerates the spot taint and selects spot nodes; no data store variables", () => {
    const pod = manifestOf(doc, "Deployment", "demo-svc").manifest.spec.template.spec;
    expect(pod.tolerations).toEqual([{ key: "workload-type", operator: "Equal", value: "spot", effect: "NoSchedule" }]);
    expect(pod.nodeSelector).toEqual({ "node-type": "spot" });
    expect(pod.containers[0].env).toBeUndefined();
    expect(pod.containers[0].envFrom).toBeUndefined();
  });

  it("puts general pods on any node: no selector, no toleration", () => {
    const pod = manifestOf(synth(base), "Deployment", "demo-svc").manifest.spec.template.spec;
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  it("reads a service-user database secret from aivo/<env>/<service>/database", () => {
    const d = synth({ ...base, dataStores: [{ kind: "postgres" }] });
    const data = manifestOf(d, "ExternalSecret", "demo-svc-postgres").manifest.spec.data;
    expect(data.map((x: any) => x.remoteRef.key)).toEqual(["aivo/staging/demo-svc/database", "aivo/staging/demo-svc/database"]);
  });
});

describe("ApplicationService between services", () => {
  const doc = synth({ ...base, calls: ["users-svc"] }, environment, "1.2.3", { calls: [{ name: "users-svc", port: 9000 }], callers: ["web-svc", "jobs-svc"] });
  const np = manifestOf(doc, "NetworkPolicy", "demo-svc").manifest.spec;

  it("lets its callers in on its port and itself out to the pods of the services it calls, on theirs", () => {
    expect(np.ingress).toEqual([
      {
        from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["web-svc", "jobs-svc"] }] } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    expect(np.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "users-svc" } } }], ports: [{ protocol: "TCP", port: 9000 }] });
  });

  it("refuses a call it was given no peer for, a call to itself and a call to no registered service", () => {
    expect(() => synth({ ...base, calls: ["users-svc"] })).toThrow('staging.services.demo-svc.calls[0]: "users-svc" is not among the peers given to the template');
    expect(() => synth({ ...base, calls: ["demo-svc"] })).toThrow('staging.services.demo-svc.calls[0]: "demo-svc" is the service itself');
    expect(() => validateServiceRegistry([{ ...base, calls: ["users-svc"] }])).toThrow('services.demo-svc.calls[0]: "users-svc" is not a service; use one of demo-svc');
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
    expect(rule.destination).toEqual([{ region: "us-west-2", registry_id: expect.stringMatching(/^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/) }]);
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
    expect(parseCpu("1.5")).toBe(1500);
    expect(parseCpu("1Gi")).toBeUndefined();
    expect(parseMemory("256Mi")).toBe(256 * 2 ** 20);
    expect(parseMemory("1G")).toBe(1e9);
    expect(parseMemory("1.5Gi")).toBe(1.5 * 2 ** 30);
    expect(parseMemory("12x")).toBeUndefined();
  });

  it("turn ALB path notation into Ingress paths", () => {
    expect(ingressPath("/api/auth/*")).toEqual({ path: "/api/auth", pathType: "Prefix" });
    expect(ingressPath("/api/auth/login")).toEqual({ path: "/api/auth/login", pathType: "Exact" });
  });

  it("deploy only real tags", () => {
    expect(["1.2.3", "v2", "sha-0a1b2c3", "main_42"].every(isDeployableImageTag)).toBe(true);
    expect(["latest", "LATEST", "", "-x", "a b", "x".repeat(129)].some(isDeployableImageTag)).toBe(false);
  });
});

describe("ApplicationService validation", () => {
  const expectError = (spec: ServiceSpec, message: string, env: ServiceEnvironment = environment, tag = "1.0.0") =>
    expect(() => synth(spec, env, tag)).toThrow(message);

  it("rejects a name that is not a DNS-1123 label", () => {
    expectError({ ...base, name: "Auth_Svc" }, 'staging.services.Auth_Svc.name: "Auth_Svc" is not a DNS-1123 label of at most 37 characters');
    expectError({ ...base, name: "a".repeat(38) }, "is not a DNS-1123 label of at most 37 characters");
  });

  it("rejects ports out of range and privileged ports", () => {
    expectError({ ...base, port: 70000 }, "staging.services.demo-svc.port: 70000 is not a port; use 1-65535");
    expectError({ ...base, port: 80 }, "staging.services.demo-svc.port: 80 is a privileged port a non-root container cannot bind");
    expectError({ ...base, metrics: { port: 0 } }, "staging.services.demo-svc.metrics.port: 0 is not a port; use 1-65535");
  });

  it("rejects minReplicas above maxReplicas", () => {
    expectError(
      { ...base, tiers: { staging: { ...tier, minReplicas: 7 } } },
      "staging.services.demo-svc.tiers.staging.minReplicas: 7 is above maxReplicas (6); minReplicas ≤ maxReplicas",
    );
    expectError({ ...base, tiers: { staging: { ...tier, minReplicas: 0 } } }, "tiers.staging.minReplicas: 0 is not a replica count");
  });

  it("rejects requests above limits, CPU and memory, and quantities that are not quantities", () => {
    expectError(
      { ...base, tiers: { staging: { ...tier, requests: { cpu: "2", memory: "256Mi" }, limits: { cpu: "1500m", memory: "512Mi" } } } },
      "staging.services.demo-svc.tiers.staging.requests.cpu: 2 is above limits.cpu (1500m); requests ≤ limits",
    );
    expectError(
      { ...base, tiers: { staging: { ...tier, requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "512Mi" } } } },
      "staging.services.demo-svc.tiers.staging.requests.memory: 1Gi is above limits.memory (512Mi); requests ≤ limits",
    );
    expectError(
      { ...base, tiers: { staging: { ...tier, requests: { cpu: "lots", memory: "256Mi" } } } },
      'tiers.staging.requests.cpu: "lots" is not a CPU quantity',
    );
  });

  it("rejects a data store the environment does not have", () => {
    const { redis: _redis, ...withoutRedis } = environment.dataStores;
    expectError(
      { ...base, dataStores: [{ kind: "postgres" }, { kind: "redis" }] },
      'staging.services.demo-svc.dataStores[1]: "redis" is not a data store of staging (it has postgres); remove it or add the data store to the environment',
      { ...environment, dataStores: withoutRedis },
    );
    const noMasterSecret = { ...environment, dataStores: { ...environment.dataStores, postgres: { ...environment.dataStores.postgres!, secret: undefined } } };
    expectError(
      { ...base, dataStores: [{ kind: "postgres", credentials: "master" }] },
      `staging.services.demo-svc.dataStores[0]: staging's postgres has no RDS-managed master user secret to read; use credentials: "service-user"`,
      noMasterSecret,
    );
    expect(() => synth({ ...base, dataStores: [{ kind: "postgres" }] }, noMasterSecret)).not.toThrow();
    expectError({ ...base, dataStores: [{ kind: "kafka" as never }] }, 'staging.services.demo-svc.dataStores[0].kind: "kafka" is not a data store the template knows');
  });

  it("rejects a spec without values for the environment's tier", () => {
    expectError({ ...base, tiers: { production: tier } }, 'staging.services.demo-svc.tiers: no values for tier "staging"; add tiers.staging');
  });

  it("rejects malformed public paths, probe paths, wildcard resource names and reserved variables", () => {
    expectError({ ...base, publicPaths: ["api/*"] }, 'staging.services.demo-svc.publicPaths[0]: "api/*" is not a public path');
    expectError({ ...base, publicPaths: ["/a/*", "/a/*"] }, 'staging.services.demo-svc.publicPaths[1]: "/a/*" is listed twice');
    expectError({ ...base, probes: { liveness: "live", readiness: "/r" } }, 'staging.services.demo-svc.probes.liveness: "live" is not an HTTP path');
    expectError({ ...base, awsAccess: [{ kind: "s3-bucket", bucket: "*", access: "read" }] }, 'staging.services.demo-svc.awsAccess[0]: "*" is not a resource name of the environment');
    expectError({ ...base, env: { DATABASE_HOST: "x" } }, "staging.services.demo-svc.env.DATABASE_HOST: names starting with DATABASE_, REDIS_, AWS_ are set by the template");
  });

  it("refuses the latest tag", () => {
    expectError(base, 'staging.services.demo-svc.imageTag: "latest" is not a deployable image tag', environment, "latest");
  });

  it("rejects public paths and names used by two services", () => {
    const other = { ...base, name: "other-svc", publicPaths: ["/api/demo/*"] };
    expect(() => validateServiceRegistry([{ ...base, publicPaths: ["/api/demo/*"] }, other])).toThrow(
      'services.other-svc.publicPaths[0]: "/api/demo/*" is already a public path of demo-svc; public paths must be unique across services',
    );
    expect(() => validateServiceRegistry([base, base])).toThrow('services[1].name: "demo-svc" is also the name of services[0]; names must be unique');
  });

  it("checks the whole registry with each spec's path", () => {
    expect(() => validateServiceRegistry([{ ...base, port: 0 }])).toThrow("services.demo-svc.port: 0 is not a port");
    expect(configsOf(synth(base), "aws_ecr_repository")).toHaveLength(1);
  });
});

describe("ApplicationService with a Network Load Balancer (the second example service, journal-svc)", () => {
  const nlbEnvironment: ServiceEnvironment = {
    ...environment,
    networkLoadBalancers: {
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/origin",
      internalSubnetCidrs: ["10.20.1.0/24", "10.20.2.0/24"],
      publicSubnetCidrs: ["10.20.101.0/24", "10.20.102.0/24"],
      internalClientCidrs: ["10.20.0.0/16"],
      deletionProtection: true,
    },
  };
  const doc = synth(journalSvc, nlbEnvironment);
  const nlb = manifestOf(doc, "Service", "journal-svc-nlb").manifest;
  const a = (key: string) => nlb.metadata.annotations[`service.beta.kubernetes.io/aws-load-balancer-${key}`];

  it("exposes the gRPC port through an internal NLB: TLS with the environment's certificate, pod IPs as targets, HTTP/2", () => {
    expect(() => new SERVICE_MODELS.Service(nlb).validate()).not.toThrow();
    expect(nlb.spec).toMatchObject({
      type: "LoadBalancer",
      loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
      selector: { "app.kubernetes.io/name": "journal-svc" },
      ports: [{ name: NLB_PORT_NAME, port: 443, targetPort: NLB_PORT_NAME, protocol: "TCP" }],
      loadBalancerSourceRanges: ["10.20.0.0/16"],
    });
    expect([a("scheme"), a("nlb-target-type"), a("ssl-cert"), a("ssl-ports"), a("backend-protocol"), a("alpn-policy")]).toEqual([
      "internal",
      "ip",
      "arn:aws:acm:us-east-1:123456789012:certificate/origin",
      NLB_PORT_NAME,
      "tcp",
      "HTTP2Only",
    ]);
    expect(a("ssl-negotiation-policy")).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect([a("healthcheck-protocol"), a("healthcheck-port"), a("healthcheck-path")]).toEqual(["http", "8080", "/healthz/ready"]);
    expect(a("attributes")).toContain("deletion_protection.enabled=true");
    expect(nlb.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe("journal.internal.staging.aivo.edu");
    // The annotations come from one exported function, the chart's source too.
    expect(nlb.metadata.annotations).toEqual(nlbServiceAnnotations(journalSvc, journalSvc.networkLoadBalancer!, nlbEnvironment.networkLoadBalancers!));
  });

  it("opens the container port and lets the NLB's subnets in on it and on the health-check port", () => {
    const container = manifestOf(doc, "Deployment", "journal-svc").manifest.spec.template.spec.containers[0];
    expect(container.ports).toContainEqual({ name: NLB_PORT_NAME, containerPort: 9090, protocol: "TCP" });
    const ingress = manifestOf(doc, "NetworkPolicy", "journal-svc").manifest.spec.ingress;
    expect(ingress).toContainEqual({
      from: [{ ipBlock: { cidr: "10.20.1.0/24" } }, { ipBlock: { cidr: "10.20.2.0/24" } }],
      ports: [
        { protocol: "TCP", port: 9090 },
        { protocol: "TCP", port: 8080 },
      ],
    });
  });

  it("a TCP port is internal TLS without ALPN; internet-facing uses the public subnets and no source-range default", () => {
    const tcp = buildNlbService(journalSvc, { containerPort: 5432, protocol: "tcp", scheme: "internet-facing", listenerPort: 6432 }, nlbEnvironment.networkLoadBalancers!, { namespace: "aivo", labels: {} });
    expect(tcp.metadata!.annotations!["service.beta.kubernetes.io/aws-load-balancer-alpn-policy"]).toBeUndefined();
    expect(tcp.metadata!.annotations!["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internet-facing");
    expect(tcp.spec!.ports![0].port).toBe(6432);
    expect(tcp.spec!.loadBalancerSourceRanges).toBeUndefined();
    expect(nlbIngressRule(journalSvc, { containerPort: 5432, protocol: "tcp", scheme: "internet-facing" }, nlbEnvironment.networkLoadBalancers!).from).toEqual([
      { ipBlock: { cidr: "10.20.101.0/24" } },
      { ipBlock: { cidr: "10.20.102.0/24" } },
    ]);
  });

  it("lets the consumer read its topic as its own group and the topic's schema", () => {
    const statements = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
    expect(statements.find((s) => s.Sid === "KafkaConsume0")!.Resource).toMatch(/:topic\/aivo-staging-kafka\/\*\/journal\.events$/);
    expect(statements.find((s) => s.Sid === "KafkaGroup0")!.Resource).toMatch(/:group\/aivo-staging-kafka\/\*\/journal-svc$/);
    expect(statements.find((s) => s.Sid === "ReadSchema0")!.Resource[1]).toMatch(/:schema\/aivo-staging-events\/journal_events$/);
  });

  it.each<[string, Partial<ServiceSpec>, string]>([
    ["the HTTP port", { networkLoadBalancer: { containerPort: 8080, protocol: "tcp" } }, "staging.services.journal-svc.networkLoadBalancer.containerPort: 8080 is the HTTP port"],
    ["a port beyond 65535", { networkLoadBalancer: { containerPort: 70000, protocol: "tcp" } }, "staging.services.journal-svc.networkLoadBalancer.containerPort: 70000 is not a port 1-65535"],
    ["a bad listener port", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", listenerPort: 0 } }, "networkLoadBalancer.listenerPort: 0 is not a port 1-65535"],
    ["an unknown protocol", { networkLoadBalancer: { containerPort: 9090, protocol: "udp" as never } }, 'networkLoadBalancer.protocol: "udp" is not one of tcp, grpc'],
    ["an unknown scheme", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", scheme: "public" as never } }, 'networkLoadBalancer.scheme: "public" is not "internal" or "internet-facing"'],
    ["a malformed host name", { networkLoadBalancer: { containerPort: 9090, protocol: "tcp", hostname: "Journal_Internal" } }, 'networkLoadBalancer.hostname: "Journal_Internal" is not a lower-case DNS name'],
    ["a Kafka topic with a wildcard", { awsAccess: [{ kind: "kafka-topic", topic: "journal.*", access: "consume" }] }, 'awsAccess[0].topic: "journal.*" is not a Kafka topic name'],
    ["a Kafka access that is neither produce nor consume", { awsAccess: [{ kind: "kafka-topic", topic: "journal.events", access: "admin" as never }] }, 'awsAccess[0].access: "admin" is not "produce" or "consume"'],
  ])("rejects %s", (_what, change, message) => {
    expect(() => synth({ ...journalSvc, ...change }, nlbEnvironment)).toThrow(message);
  });

  it("rejects an NLB in an environment that offers none", () => {
    expect(() => synth(journalSvc, environment)).toThrow("staging.services.journal-svc.networkLoadBalancer: staging offers no Network Load Balancer settings");
  });
});
