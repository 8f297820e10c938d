/**
 * The service charts (helm/services/*) rendered by a real Helm, as Argo CD renders them: each tier's
 * values file plus the `platform` values the service's Application carries (from ApplicationService).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parseAllDocuments } from "yaml";
import {
  NLB_PORT_NAME,
  TIER_VALUES_FILES,
  buildNlbService,
  ingressPaths,
  loadServiceChart,
  nlbIngressRule,
  serviceDatabaseSecretName,
  serviceSecretPrefix,
} from "../modules/aws/delivery/service";
import { Naming } from "../modules/shared/naming";
import { serviceChartNames } from "../environments/services";
import { SERVICE_RESOURCE_KINDS } from "../modules/kubernetes/gitops";
import { policy } from "./helpers";
import { ROOT, buildDependencies, helm, helmOrSkip, valuesFile } from "./helm";
import { validateWithModels } from "./kubernetes-validate";
import { applicationOf, fakeEnvironment, resolveTokens, synthService } from "./service-fixtures";
import { checkRestrictedPod, evaluateCondition, simulateAnalysis } from "./service-checks";

type K8s = Record<string, any>;
const DIGEST = `sha256:${"ab".repeat(32)}`;
const binary = helmOrSkip("helm lint/template of helm/services/*");
const itHelm = binary ? it : it.skip;
const NAMES = serviceChartNames();

/** The kubernetes-models class of each kind the chart renders (Argo and ESO types through their CRD schemas). */
const MODELS: Record<string, [string, string]> = {
  "v1/ServiceAccount": ["kubernetes-models/v1/ServiceAccount", "ServiceAccount"],
  "v1/Service": ["kubernetes-models/v1/Service", "Service"],
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "Deployment"],
  "batch/v1/Job": ["kubernetes-models/batch/v1/Job", "Job"],
  "autoscaling/v2/HorizontalPodAutoscaler": ["kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler", "HorizontalPodAutoscaler"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1/PodDisruptionBudget", "PodDisruptionBudget"],
  "networking.k8s.io/v1/NetworkPolicy": ["kubernetes-models/networking.k8s.io/v1/NetworkPolicy", "NetworkPolicy"],
  "networking.k8s.io/v1/Ingress": ["kubernetes-models/networking.k8s.io/v1/Ingress", "Ingress"],
  "argoproj.io/v1alpha1/Rollout": ["@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout", "Rollout"],
  "argoproj.io/v1alpha1/AnalysisTemplate": ["@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate", "AnalysisTemplate"],
  "external-secrets.io/v1/ExternalSecret": ["@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret", "ExternalSecret"],
  "external-secrets.io/v1/SecretStore": ["@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore", "SecretStore"],
  "external-secrets.io/v1alpha1/PushSecret": ["@kubernetes-models/external-secrets/external-secrets.io/v1alpha1/PushSecret", "PushSecret"],
  "generators.external-secrets.io/v1alpha1/Password": ["@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password", "Password"],
  "monitoring.coreos.com/v1/ServiceMonitor": ["@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor", "ServiceMonitor"],
};

interface Rendered {
  readonly env: string;
  readonly tier: string;
  readonly objects: K8s[];
  readonly synthesized: ReturnType<typeof synthService>;
  readonly args: string[];
}

const find = (objects: K8s[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const one = (objects: K8s[], kind: string, name?: string) => {
  const all = find(objects, kind, name);
  if (all.length !== 1) throw new Error(`expected one ${kind} ${name ?? ""}, found ${all.length}`);
  return all[0];
};
const hookOf = (o: K8s) => o.metadata.annotations?.["argocd.argoproj.io/hook"];
const waveOf = (o: K8s) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);

describe.each(NAMES)("the %s chart", (name) => {
  const chart = loadServiceChart(name);
  const dir = join(ROOT, chart.path);
  const renders: Rendered[] = [];

  beforeAll(() => {
    if (!binary) return;
    buildDependencies(binary, dir);
    for (const [tier, release] of Object.entries(chart.tiers)) {
      const env = `${tier.slice(0, 4)}x`;
      // The service that answers the origin's health check (auth-svc in every environment) gets its path routed.
      const synthesized = synthService(chart, fakeEnvironment(env, tier), undefined, chart.spec.publicPaths?.length ? chart.spec.probes.readiness : undefined);
      const application = applicationOf(synthesized);
      const platform = resolveTokens(application.spec.source.helm.valuesObject, synthesized);
      // The pipeline's release: a digest (the values files in git may not have one yet).
      const args = ["-f", join(dir, release.valuesFile), "-f", valuesFile(platform), "-f", valuesFile({ image: { tag: "0123abcd", digest: DIGEST } })];
      const out = helm(binary, ["template", name, dir, "--namespace", application.spec.destination.namespace, ...args]);
      if (out.status !== 0) throw new Error(`helm template ${name} (${release.valuesFile}): ${out.stderr}`);
      const objects = parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean) as K8s[];
      renders.push({ env, tier, objects, synthesized, args });
    }
  });

  it("has a values file for every tier and the library's values schema", () => {
    expect(Object.keys(chart.tiers).sort()).toEqual(Object.keys(TIER_VALUES_FILES).sort());
    const schema = (file: string) => JSON.parse(readFileSync(join(ROOT, file), "utf8"));
    expect(schema(`${chart.path}/values.schema.json`)).toEqual(schema("helm/library/aivo-service/service-values.schema.json"));
  });

  itHelm("passes helm lint with each tier's values", () => {
    for (const r of renders) {
      const out = helm(binary!, ["lint", dir, "--strict", ...r.args]);
      expect([r.tier, out.status, out.stderr]).toEqual([r.tier, 0, ""]);
    }
  });

  itHelm("renders only objects valid against their upstream schemas, of kinds its AppProject allows", () => {
    for (const r of renders) {
      const checks = r.objects
        .filter((o) => o.kind !== "VerticalPodAutoscaler")
        .map((o) => {
          const model = MODELS[`${o.apiVersion}/${o.kind}`];
          if (!model) throw new Error(`${r.tier}: no model for ${o.apiVersion} ${o.kind}`);
          return { module: model[0], className: model[1], object: o };
        });
      const errors = validateWithModels(checks);
      expect(checks.map((c, i) => [r.tier, c.object.kind, c.object.metadata.name, errors[i]])).toEqual(checks.map((c) => [r.tier, c.object.kind, c.object.metadata.name, ""]));
      const allowed = new Set(SERVICE_RESOURCE_KINDS.map((k) => `${k.group}/${k.kind}`));
      const kinds = r.objects.map((o) => `${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}/${o.kind}`);
      expect(kinds.filter((k) => !allowed.has(k))).toEqual([]);
      for (const vpa of find(r.objects, "VerticalPodAutoscaler")) {
        expect(vpa.spec.updatePolicy).toEqual({ updateMode: "Off" });
        expect(["Deployment", "Rollout"]).toContain(vpa.spec.targetRef.kind);
      }
    }
  });

  itHelm("runs every pod under the restricted Pod Security Standard", () => {
    for (const r of renders) {
      const pods = r.objects.filter((o) => ["Deployment", "Rollout", "Job"].includes(o.kind));
      expect(pods.length).toBeGreaterThanOrEqual(2);
      for (const o of pods) expect([r.tier, o.kind, o.metadata.name, checkRestrictedPod(o.spec.template.spec)]).toEqual([r.tier, o.kind, o.metadata.name, []]);
    }
  });

  itHelm("uses the names cdktf gave the AWS side: service account, namespace, role trust, secret paths", () => {
    for (const r of renders) {
      const naming = new Naming("aivo", r.env);
      const roles = Object.values(r.synthesized.resource!.aws_iam_role!);
      const trustOf = (role: K8s) => JSON.stringify(policy(role.assume_role_policy).Statement[0].Condition);
      const sa = one(r.objects, "ServiceAccount", name);
      const serviceRole = roles.find((x) => x.name === naming.name(name))!;
      expect(trustOf(serviceRole)).toContain(`system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`);
      expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::123456789012:role/${serviceRole.name}`);
      for (const workload of r.objects.filter((o) => ["Deployment", "Rollout"].includes(o.kind))) expect(workload.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
      const readable: string = policy((Object.values(r.synthesized.resource!.aws_iam_role_policy!).find((p) => p.name === serviceRole.name)!.policy as string))
        .Statement.find((s: K8s) => s.Sid === "ReadOwnSecrets")!.Resource;
      expect(readable.endsWith(`:secret:${serviceSecretPrefix(naming, name)}*`)).toBe(true);
      const secretKeys = find(r.objects, "ExternalSecret", `${name}-postgres`).flatMap((es) => es.spec.data.map((d: K8s) => d.remoteRef.key as string));
      for (const key of secretKeys) expect(key.startsWith(serviceSecretPrefix(naming, name))).toBe(true);
      if (chart.spec.dataStores?.postgres) {
        expect(secretKeys).toEqual([serviceDatabaseSecretName(naming, name), serviceDatabaseSecretName(naming, name)]);
        const bootstrapSa = one(r.objects, "ServiceAccount", `${name}-db-bootstrap`);
        const bootstrapRole = roles.find((x) => x.name === naming.name(`${name}-db-bootstrap`))!;
        expect(trustOf(bootstrapRole)).toContain(`system:serviceaccount:${bootstrapSa.metadata.namespace}:${bootstrapSa.metadata.name}`);
        expect(one(r.objects, "PushSecret").spec.data[0].match.remoteRef.remoteKey).toBe(serviceDatabaseSecretName(naming, name));
      }
    }
  });

  itHelm("rolls out by the tier's strategy: a Deployment, or a canary 10 → 50 → 100 % split at the ALB", () => {
    for (const r of renders) {
      const strategy = chart.tiers[r.tier].strategy;
      const hpa = one(r.objects, "HorizontalPodAutoscaler");
      if (strategy === "rolling") {
        expect(find(r.objects, "Rollout")).toHaveLength(0);
        expect(one(r.objects, "Deployment").spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: "25%" });
        expect(hpa.spec.scaleTargetRef.kind).toBe("Deployment");
        continue;
      }
      expect(find(r.objects, "Deployment")).toHaveLength(0);
      const rollout = one(r.objects, "Rollout");
      const canary = rollout.spec.strategy.canary;
      expect(canary.steps.filter((s: K8s) => "setWeight" in s).map((s: K8s) => s.setWeight)).toEqual([10, 50, 100]);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name });
      const ingress = one(r.objects, "Ingress", canary.trafficRouting.alb.ingress);
      for (const service of [canary.stableService, canary.canaryService]) expect(find(r.objects, "Service", service)).toHaveLength(1);
      for (const path of ingress.spec.rules[0].http.paths) expect(path.backend.service).toEqual({ name: canary.stableService, port: { name: "use-annotation" } });
      expect(one(r.objects, "Service", canary.stableService).spec.ports[0].port).toBe(canary.trafficRouting.alb.servicePort);
      expect(canary.analysis.templates).toEqual([{ templateName: one(r.objects, "AnalysisTemplate").metadata.name }]);
      // The Argo CD Application ignores exactly what Argo Rollouts writes at run time.
      const ignored = applicationOf(r.synthesized).spec.ignoreDifferences.flatMap((d: K8s) => d.jqPathExpressions);
      expect(ignored).toContain(`.metadata.annotations["alb.ingress.kubernetes.io/actions.${canary.stableService}"]`);
    }
  });

  itHelm("aborts a canary whose analysis fails: success rate below the floor or p99 above the ceiling", () => {
    const values = (file: string) => parseAllDocuments(readFileSync(join(dir, file), "utf8"))[0].toJS();
    const analysis = values("values.yaml").delivery.canary.analysis;
    for (const r of renders.filter((x) => chart.tiers[x.tier].strategy === "canary")) {
      const metrics = Object.fromEntries(one(r.objects, "AnalysisTemplate").spec.metrics.map((m: K8s) => [m.name, m]));
      const rate = metrics["success-rate"];
      const p99 = metrics["latency-p99"];
      // The thresholds are the values' (a change to values.yaml changes the gate, nothing else).
      expect([evaluateCondition(rate.successCondition, [analysis.successRate.min]), evaluateCondition(rate.failureCondition, [analysis.successRate.min - 0.001])]).toEqual([true, true]);
      expect([evaluateCondition(p99.successCondition, [analysis.latencyP99.maxSeconds]), evaluateCondition(p99.failureCondition, [analysis.latencyP99.maxSeconds + 0.001])]).toEqual([true, true]);
      // A bad canary: 95 % success, then 0.9 s p99. failureLimit + 1 failed measurements fail the run.
      expect(simulateAnalysis(rate, [0.999, 0.95, 0.95])).toBe("Failed");
      expect(simulateAnalysis(p99, [0.2, 0.9, 0.9])).toBe("Failed");
      // One bad minute within failureLimit is tolerated.
      expect(simulateAnalysis(rate, [0.95, ...Array(rate.count - 1).fill(0.999)])).toBe(rate.failureLimit >= 1 ? "Successful" : "Failed");
      expect(simulateAnalysis(rate, Array(rate.count).fill(0.9995))).toBe("Successful");
      // No traffic (NaN) is neither a pass nor a failure: the run stops Inconclusive and the Rollout pauses.
      expect(simulateAnalysis(rate, [Number.NaN])).toBe("Inconclusive");
      // A failed run aborts the Rollout: the analysis runs in the background from the first pause.
      const canary = one(r.objects, "Rollout").spec.strategy.canary;
      expect(canary.analysis.startingStep).toBe(1);
      expect(canary.steps[0]).toEqual({ setWeight: 10 });
      expect(canary.abortScaleDownDelaySeconds).toBe(0);
      for (const m of [rate, p99]) expect(m.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    }
  });

  itHelm("runs the database bootstrap and the migration before the sync, the smoke test after", () => {
    for (const r of renders) {
      const jobs = find(r.objects, "Job");
      const bootstrap = one(jobs, "Job", `${name}-db-bootstrap`);
      const migrate = one(jobs, "Job", `${name}-migrate`);
      const smoke = one(jobs, "Job", `${name}-smoke-test`);
      expect([hookOf(bootstrap), hookOf(migrate), hookOf(smoke)]).toEqual(["PreSync", "PreSync", "PostSync"]);
      expect(waveOf(bootstrap)).toBeLessThan(waveOf(migrate));
      const container = migrate.spec.template.spec.containers[0];
      expect(container.image).toBe(one(r.objects, r.objects.some((o) => o.kind === "Rollout") ? "Rollout" : "Deployment").spec.template.spec.containers[0].image);
      expect(container.envFrom).toEqual([{ secretRef: { name: `${name}-db-service` } }]);
      const serviceCredentials = one(r.objects, "ExternalSecret", `${name}-db-service`);
      expect(serviceCredentials.spec.data.map((d: K8s) => d.remoteRef.key)).toEqual([serviceDatabaseSecretName(new Naming("aivo", r.env), name), serviceDatabaseSecretName(new Naming("aivo", r.env), name)]);
      // Whatever reads the master credentials goes when the sync succeeds; they precede the bootstrap.
      const admin = one(r.objects, "ExternalSecret", `${name}-db-admin`);
      expect(admin.metadata.annotations["argocd.argoproj.io/hook-delete-policy"]).toBe("BeforeHookCreation,HookSucceeded");
      expect(waveOf(admin)).toBeLessThan(waveOf(bootstrap));
      expect(waveOf(one(r.objects, "PushSecret"))).toBeLessThan(waveOf(admin));
      // The SQL never puts the password in a DDL statement's text (the instance logs DDL).
      const sql = one(r.objects, "ConfigMap", `${name}-db-bootstrap`).data["bootstrap.sql"] as string;
      expect(sql.split("\n").filter((l) => /^\s*(ALTER|CREATE)\s+ROLE/i.test(l))).toEqual([]);
      expect(sql).toContain("\\gset");
      expect(smoke.spec.template.spec.containers[0].command.join(" ")).toContain(`http://${name}.aivo.svc.cluster.local`);
    }
  });

  itHelm("opens the network only as the hooks need: DNS and the database for the Jobs, the smoke test into the service's port", () => {
    for (const r of renders) {
      const hooks = one(r.objects, "NetworkPolicy", `${name}-hooks`);
      expect(hooks.spec.podSelector.matchExpressions[0].values).toEqual([`${name}-db-bootstrap`, `${name}-migrate`, `${name}-smoke-test`]);
      expect(hooks.spec.ingress).toEqual([]);
      const ports = hooks.spec.egress.map((e: K8s) => e.ports.map((p: K8s) => p.port)).flat();
      const platform = applicationOf(r.synthesized).spec.source.helm.valuesObject.platform;
      const postgres = chart.spec.dataStores?.postgres ? [platform.postgres.port] : [];
      const redis = chart.spec.dataStores?.redis ? [platform.redis.port] : [];
      expect(ports).toEqual([53, 53, ...postgres, chart.spec.port]);
      for (const job of find(r.objects, "Job")) expect(hooks.spec.podSelector.matchExpressions[0].values).toContain(job.spec.template.metadata.labels["app.kubernetes.io/name"]);
      const service = one(r.objects, "NetworkPolicy", name);
      expect(service.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": `${name}-smoke-test` } } }], ports: [{ protocol: "TCP", port: chart.spec.port }] });
      // The service itself: no way out but DNS, its data stores, the services it calls and HTTPS.
      const calls = platform.peers.calls.map((c: K8s) => c.port);
      expect(service.spec.egress.map((e: K8s) => e.ports.map((p: K8s) => p.port)).flat()).toEqual([53, 53, ...postgres, ...redis, ...calls, 443]);
    }
  });

  itHelm("serves its public paths and the origin health check's path (its readiness path, Exact) in the shared IngressGroup", () => {
    for (const r of renders.filter(() => (chart.spec.publicPaths ?? []).length > 0)) {
      const ingress = one(r.objects, "Ingress", name);
      const expected = ingressPaths(chart.spec, chart.spec.probes.readiness);
      expect(ingress.spec.rules[0].http.paths.map((p: K8s) => ({ path: p.path, pathType: p.pathType }))).toEqual(expected);
      const platform = applicationOf(r.synthesized).spec.source.helm.valuesObject.platform;
      expect(ingress.spec.rules[0].host).toBe(platform.ingress.host);
      expect(ingress.metadata.annotations).toMatchObject({
        "alb.ingress.kubernetes.io/group.name": platform.ingress.groupName,
        "alb.ingress.kubernetes.io/security-groups": platform.ingress.securityGroup,
        "alb.ingress.kubernetes.io/certificate-arn": platform.ingress.certificateArn,
        "alb.ingress.kubernetes.io/healthcheck-path": chart.spec.probes.readiness,
        "external-dns.alpha.kubernetes.io/hostname": platform.ingress.host,
      });
    }
  });

  itHelm("answers, with DR, to every served origin name with the same routes, publishing only the regional one", () => {
    for (const r of renders.filter(() => (chart.spec.publicPaths ?? []).length > 0)) {
      const platform = applicationOf(r.synthesized).spec.source.helm.valuesObject.platform;
      const failoverName = `origin.${r.env}.failover.aivo.edu`;
      const withDr = valuesFile({ platform: { ingress: { ...(resolveTokens(platform.ingress, r.synthesized) as Record<string, unknown>), additionalHosts: [failoverName] } } });
      const out = helm(binary!, ["template", name, dir, "--namespace", "aivo", ...r.args, "-f", withDr]);
      expect([out.status, out.stderr]).toEqual([0, ""]);
      const ingress = one(parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean) as K8s[], "Ingress", name);
      expect(ingress.spec.rules.map((rule: K8s) => rule.host)).toEqual([platform.ingress.host, failoverName]);
      expect(ingress.spec.rules[1].http).toEqual(ingress.spec.rules[0].http);
      expect(ingress.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe(platform.ingress.host);
    }
  });

  itHelm("renders a TCP or gRPC port as the NLB Service and the NetworkPolicy rule nlb.ts defines", () => {
    const nlb = { containerPort: 9090, protocol: "grpc" as const, hostname: `${name}.internal.stag.aivo.edu` };
    const spec = { ...chart.spec, networkLoadBalancer: nlb };
    const networkLoadBalancers = {
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/origin",
      internalSubnetCidrs: ["10.20.1.0/24", "10.20.2.0/24"],
      publicSubnetCidrs: ["10.20.101.0/24"],
      internalClientCidrs: ["10.20.0.0/16"],
      deletionProtection: false,
    };
    const synthesized = synthService({ ...chart, spec }, { ...fakeEnvironment("stagx", "staging"), networkLoadBalancers });
    const platform = resolveTokens(applicationOf(synthesized).spec.source.helm.valuesObject, synthesized);
    const r = renders.find((x) => x.tier === "staging")!;
    const out = helm(binary!, ["template", name, dir, "-n", "aivo", ...r.args, "-f", valuesFile(platform), "-f", valuesFile({ service: { networkLoadBalancer: nlb } })]);
    expect(out.stderr).toBe("");
    const objects = parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean) as K8s[];
    const service = one(objects, "Service", `${name}-nlb`);
    const reference = JSON.parse(JSON.stringify(buildNlbService(spec, nlb, networkLoadBalancers, { namespace: "aivo", labels: {} })));
    expect({ ...service, metadata: { ...service.metadata, labels: {} } }).toEqual(reference);
    const workload = one(objects, "Rollout");
    expect(workload.spec.template.spec.containers[0].ports).toContainEqual({ name: NLB_PORT_NAME, containerPort: 9090, protocol: "TCP" });
    expect(one(objects, "NetworkPolicy", name).spec.ingress).toContainEqual(nlbIngressRule(spec, nlb, networkLoadBalancers));
    const [check] = validateWithModels([{ module: MODELS["v1/Service"][0], className: "Service", object: service }]);
    expect(check).toBe("");
  });

  itHelm("refuses bad values with the path and the reason: unknown keys, wrong types, latest", () => {
    const r = renders[0];
    const bad = (values: unknown) => helm(binary!, ["template", name, dir, ...r.args, "-f", valuesFile(values)]);
    const cases: [unknown, RegExp][] = [
      [{ service: { nmae: "x" } }, /at '\/service': additional properties 'nmae' not allowed/],
      [{ replicas: { min: "two" } }, /at '\/replicas\/min': got string, want integer/],
      [{ image: { tag: "latest", digest: "" } }, /at '\/image\/tag'/],
      [{ delivery: { strategy: "blue-green" } }, /at '\/delivery\/strategy'/],
      [{ smokeTest: { command: [] } }, /at '\/smokeTest\/command': minItems/],
    ];
    for (const [values, message] of cases) {
      const out = bad(values);
      expect([JSON.stringify(values), out.status]).toEqual([JSON.stringify(values), 1]);
      expect(out.stderr).toMatch(message);
    }
    const noImage = helm(binary!, ["template", name, dir, ...r.args.slice(0, 4)]);
    expect(noImage.status === 0 ? "" : noImage.stderr).toMatch(chart.tiers[r.tier].digest || chart.tiers[r.tier].tag ? /^$/ : /neither image.digest nor image.tag is set/);
  });
});

describe("the chart checks themselves", () => {
  it("find every restricted Pod Security violation", () => {
    const bad = {
      hostNetwork: true,
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      containers: [{ name: "c", securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } }, ports: [{ hostPort: 80 }] }],
    };
    expect(checkRestrictedPod(bad)).toEqual([
      "hostNetwork is set",
      "volume host is hostPath",
      "container c: privileged",
      "container c: allowPrivilegeEscalation is not false",
      "container c: runAsNonRoot is not true",
      "container c: seccomp undefined",
      "container c: capabilities not dropped",
      "container c: adds SYS_ADMIN",
      "container c: hostPort 80",
    ]);
  });

  it("read only the condition form the chart writes, and follow Argo Rollouts' limits", () => {
    expect(() => evaluateCondition("len(result) > 0", [1])).toThrow('unsupported condition "len(result) > 0"');
    const metric = { successCondition: "result[0] >= 0.99", failureCondition: "result[0] < 0.99", failureLimit: 0, inconclusiveLimit: 0, count: 3 };
    expect(simulateAnalysis(metric, [0.98])).toBe("Failed");
    expect(simulateAnalysis(metric, [0.995, 0.995])).toBe("Running");
  });
});
