import { readFileSync } from "fs";
import { join } from "path";
import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { kubernetesStackName } from "../environments/kubernetes-stack";
import { drStackName } from "../environments/dr-stack";
import { originNames } from "../modules/aws/edge/origin-names";
import { customNetworkingMaxPods, ENI_LIMITS } from "../modules/aws/compute/eks/pod-capacity";
import { KARPENTER_METRICS_PORT } from "../modules/aws/compute/karpenter-prerequisites";
import { FARGATE_PORTS_FROM_NODES, runsOnFargate } from "../modules/aws/compute/fargate-profile";
import { CUSTOM_NETWORKING_RESERVED_ENIS } from "../modules/kubernetes/addons/karpenter";
import { DASHBOARDS_DIR, KSM_NODE_LABELS, dashboardFiles, platformRules } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { METRIC_SOURCES, metricNames, metricSource } from "../modules/kubernetes/addons/kube-prometheus-stack/metric-sources";
import { LBC_SERVICE_WEBHOOK_FAILURE_POLICY } from "../modules/kubernetes/addons/aws-load-balancer-controller";
import { POLICY_EXCLUDED_NAMESPACES } from "../modules/kubernetes/addons/kyverno";
import { GUARDDUTY_AGENT_ADDON, GUARDDUTY_AGENT_NAMESPACE, GUARDDUTY_DATA_SERVICE } from "../modules/aws/security/guardduty-agent";
import { HELM_CHARTS, NAMESPACES, WEBHOOK_EXEMPT_NAMESPACES } from "../modules/kubernetes/platform";
import { MONITORING_PLACEMENT } from "../modules/kubernetes/cluster/node-pools";
import { configsOf, onlyResource } from "./helpers";
import { capacityPlanOf } from "../environments/capacity";
import { checkCapacity } from "../modules/kubernetes/capacity";
import { SERVICES } from "../environments/services";
import { manifestsOf, releaseValues, synthApp } from "./kubernetes-helpers";
import { dnsClaims, dnsConflicts } from "./dns-claims";

const app = Testing.app();
const platform = buildPlatform(app);
const docs = synthApp(app);
const addonsOf = (env: string) => docs[kubernetesStackName(env, "addons")];
const at = (values: Record<string, any>, path: string) => path.split(".").reduce<any>((v, k) => v?.[k], values);

describe("one owner per DNS name", () => {
  const claims = dnsClaims(docs);

  it("every name any stack or external-dns annotation claims has exactly one owner", () => {
    expect(claims.length).toBeGreaterThan(0);
    expect(dnsConflicts(claims)).toEqual([]);
  });

  it("reports a name two owners claim (the failover pair and an Ingress both on origin.<domain>)", () => {
    const withDr = ENVIRONMENTS.find((e) => e.dr)!;
    const failover = claims.filter((c) => c.owner === drStackName(withDr.name));
    expect(failover.map((c) => c.name)).toContain(withDr.edge.originDomain);
    const ingress = { name: withDr.edge.originDomain, owner: `external-dns (${kubernetesStackName(withDr.name, "services")})`, what: "kubernetes_manifest.auth-svc_application" };
    expect(dnsConflicts([...claims, ingress])).toEqual([
      expect.stringMatching(new RegExp(`^${withDr.edge.originDomain.replace(/\./g, "\\.")}: ${drStackName(withDr.name)} \\(aws_route53_record\\..*\\) and external-dns \\(`)),
    ]);
  });

  describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s", (name, config) => {
    const names = originNames(config.edge, config.dr?.traffic);
    // The services' Ingresses are Argo CD's, rendered from the chart with each Application's platform values.
    const ingresses = manifestsOf(docs[kubernetesStackName(name, "services")], "Application").map(({ manifest }) => manifest.spec.source.helm.valuesObject.platform.ingress);

    it("publishes the origin name it owns through the Ingress, answers to every served name, and covers them all with the origin certificate", () => {
      expect(ingresses.length).toBeGreaterThan(0);
      for (const ingress of ingresses) {
        expect(ingress.host).toBe(names.published); // the chart's external-dns annotation
        expect([ingress.host, ...(ingress.additionalHosts ?? [])]).toEqual([...names.served]); // one rule per name
      }
      const certificate = configsOf(docs[name], "aws_acm_certificate").find((c) => c.domain_name === config.edge.originDomain)!;
      expect([certificate.domain_name, ...(certificate.subject_alternative_names ?? [])]).toEqual([...names.certificate]);
      if (config.dr) {
        // The regional name is the failover pair's primary target and its health check's.
        expect(names.published).toBe(config.dr.traffic.primaryTarget);
        const dr = docs[drStackName(name)];
        expect(configsOf(dr, "aws_route53_record").filter((r) => r.failover_routing_policy).map((r) => r.records[0])).toEqual([config.dr.traffic.primaryTarget, config.dr.traffic.secondaryTarget]);
        expect(configsOf(dr, "aws_route53_health_check").map((h) => h.fqdn)).toContain(names.published);
        // The DR ALB's certificate, ready before a failover: the origin name and the DR region's own; the
        // origin name's validation record stays the primary stack's.
        const drCertificate = onlyResource(dr, "aws_acm_certificate");
        expect([drCertificate.domain_name, ...drCertificate.subject_alternative_names]).toEqual([config.edge.originDomain, config.dr.traffic.secondaryTarget]);
        const validation = configsOf(dr, "aws_route53_record").find((r) => r.for_each)!;
        expect(validation.for_each).toContain(`if !contains(${JSON.stringify([config.edge.originDomain])}, o.domain_name)`);
        expect(dr.output!.origin_certificate_arn).toBeDefined();
      } else {
        expect(names.published).toBe(config.edge.originDomain);
      }
    });

    it("lets external-dns publish annotated names only (an Ingress rule's host is no claim)", () => {
      expect(releaseValues(addonsOf(name), HELM_CHARTS.externalDns.name).extraArgs).toEqual(expect.arrayContaining(["--ignore-ingress-rules-spec", "--ignore-ingress-tls-spec"]));
    });
  });
});

describe("every alert rule and dashboard panel has its metrics scraped", () => {
  const rules = (platformRules("monitoring").spec as any).groups.flatMap((g: any) => g.rules.map((r: any) => ({ what: `rule ${r.alert}`, expr: r.expr as string })));
  const panels = dashboardFiles().flatMap((file) =>
    (JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), "utf8")).panels ?? []).map((p: any) => ({ what: `${file} "${p.title}"`, panel: p })),
  );
  const prometheusPanels = panels.filter(({ panel }: any) => panel.datasource?.type === "prometheus");
  const queries = [
    ...rules,
    ...prometheusPanels.flatMap(({ what, panel }: any) => panel.targets.map((t: any) => ({ what, expr: t.expr as string }))),
  ];
  const mapped = queries.flatMap(({ what, expr }) => metricNames(expr).map((metric) => ({ what, metric, source: metricSource(metric) })));

  it("maps each metric name to the scrape target producing it", () => {
    expect(mapped.length).toBeGreaterThan(20);
    expect(mapped.filter((m) => !m.source).map((m) => `${m.what}: ${m.metric}`)).toEqual([]);
    // The table the docs print: metric → target.
    expect(Object.fromEntries(mapped.map((m) => [m.metric, m.source!.target]))).toMatchObject({
      certmanager_certificate_expiration_timestamp_seconds: expect.stringContaining("cert-manager"),
      karpenter_cloudprovider_errors_total: expect.stringContaining("Karpenter"),
      kube_node_labels: expect.stringContaining("kube-state-metrics"),
      velero_backup_last_successful_timestamp: expect.stringContaining("Velero"),
    });
  });

  it("reads only Prometheus or CloudWatch in the dashboards (CloudWatch through Grafana's role)", () => {
    expect(panels.filter(({ panel }: any) => !["prometheus", "cloudwatch"].includes(panel.datasource?.type)).map((p: any) => p.what)).toEqual([]);
  });

  it("fails a metric no target exports", () => {
    expect(metricNames('sum(rate(unknown_exporter_requests_total{job="x"}[5m])) by (code)')).toEqual(["unknown_exporter_requests_total"]);
    expect(metricSource("unknown_exporter_requests_total")).toBeUndefined();
  });

  describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s", (name, config) => {
    const doc = addonsOf(name);

    it("turns on every target the rules and panels need in its release", () => {
      const needed = new Set(mapped.map((m) => m.source!));
      for (const source of METRIC_SOURCES.filter((s) => needed.has(s))) {
        const values = releaseValues(doc, HELM_CHARTS[source.release].name);
        expect([source.target, at(values, source.enabledBy.path) ?? source.enabledBy.chartDefault]).toEqual([source.target, true]);
      }
    });

    it("exports the node labels the dashboards group by (kube-state-metrics allowlist)", () => {
      const used = prometheusPanels.flatMap(({ panel }: any) => panel.targets.flatMap((t: any) => [...(t.expr as string).matchAll(/label_([a-z0-9_]+)/g)].map((m) => m[1])));
      const allowlist = releaseValues(doc, HELM_CHARTS.kubePrometheusStack.name)["kube-state-metrics"].metricLabelsAllowlist as string[];
      const exported = allowlist.flatMap((entry) => entry.replace(/^nodes=\[|\]$/g, "").split(",")).map((label) => label.replace(/[^a-zA-Z0-9]/g, "_"));
      expect(used.length).toBeGreaterThan(0);
      expect(exported).toEqual(expect.arrayContaining(used));
      expect(allowlist).toEqual([`nodes=[${KSM_NODE_LABELS.join(",")}]`]);
    });

    it("lets Prometheus, on the nodes, reach Karpenter's metrics port on Fargate", () => {
      expect(releaseValues(doc, HELM_CHARTS.karpenter.name).controller.metrics.port).toBe(KARPENTER_METRICS_PORT);
      if (!runsOnFargate(config.fargate, NAMESPACES.karpenter.name)) return;
      expect(Object.values(FARGATE_PORTS_FROM_NODES).map((p) => p.port)).toContain(KARPENTER_METRICS_PORT);
      const rules = configsOf(docs[name], "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === KARPENTER_METRICS_PORT);
      expect(rules).toEqual([
        expect.objectContaining({ ip_protocol: "tcp", to_port: KARPENTER_METRICS_PORT, security_group_id: expect.stringContaining("vpc_config[0].cluster_security_group_id"), referenced_security_group_id: expect.stringMatching(/aws_security_group\.eks_node-sg/) }),
      ]);
    });
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s in-cluster first deploy", (name, config) => {
  const doc = addonsOf(name);

  it("gives Karpenter's nodes the managed groups' max-pods with custom networking (RESERVED_ENIS 1)", () => {
    const settings = releaseValues(doc, HELM_CHARTS.karpenter.name).settings;
    if (!config.network.podNetwork) {
      expect(settings.reservedENIs).toBeUndefined();
      return;
    }
    expect(settings.reservedENIs).toBe(String(CUSTOM_NETWORKING_RESERVED_ENIS));
    // Karpenter's max pods with reserved ENIs, (ENIs − reserved) × (IPv4 per ENI − 1) + 2, is what the capacity check uses.
    for (const type of config.kubernetes.karpenter.general.instanceTypes.filter((t) => ENI_LIMITS[t])) {
      const { enis, ipv4PerEni } = ENI_LIMITS[type];
      expect((enis - CUSTOM_NETWORKING_RESERVED_ENIS) * (ipv4PerEni - 1) + 2).toBe(customNetworkingMaxPods([type], type));
    }
  });

  it("never lets an in-cluster webhook gate kube-system or a controller's namespace", () => {
    const kyverno = releaseValues(doc, HELM_CHARTS.kyverno.name).config;
    expect(kyverno.webhooks.namespaceSelector.matchExpressions).toEqual([{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...WEBHOOK_EXEMPT_NAMESPACES] }]);
    const controllerNamespaces = new Set([...Object.values(HELM_CHARTS).map((c) => c.namespace), "kube-system", GUARDDUTY_AGENT_NAMESPACE]);
    expect(WEBHOOK_EXEMPT_NAMESPACES).toEqual(expect.arrayContaining([...controllerNamespaces]));
    expect(WEBHOOK_EXEMPT_NAMESPACES).not.toContain(NAMESPACES.aivo.name);
    // The LB controller's Service mutator: the same namespaces skipped, fail-closed in the others.
    const lbc = releaseValues(doc, HELM_CHARTS.awsLoadBalancerController.name);
    expect(lbc.serviceMutatorWebhookConfig).toEqual({
      failurePolicy: LBC_SERVICE_WEBHOOK_FAILURE_POLICY,
      namespaceSelectors: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...WEBHOOK_EXEMPT_NAMESPACES] }],
    });
    expect(lbc.webhookConfig.ingressValidationNamespaceSelector.matchExpressions).toEqual(lbc.serviceMutatorWebhookConfig.namespaceSelectors);
  });

  it("manages the GuardDuty agent and its endpoint in the environment stack (so destroy removes them) and exempts exactly its namespace", () => {
    const env = docs[name];
    expect(configsOf(env, "aws_eks_addon").filter((a) => a.addon_name === GUARDDUTY_AGENT_ADDON)).toHaveLength(1);
    const endpoint = configsOf(env, "aws_vpc_endpoint").filter((e) => e.service_name.endsWith(`.${GUARDDUTY_DATA_SERVICE}`));
    expect(endpoint).toEqual([expect.objectContaining({ vpc_endpoint_type: "Interface", private_dns_enabled: true })]);
    expect(POLICY_EXCLUDED_NAMESPACES).toContain(GUARDDUTY_AGENT_NAMESPACE);
  });

  it("runs Velero under restricted pod security (node agent off)", () => {
    expect(NAMESPACES.velero.podSecurity).toBe("restricted");
    const values = releaseValues(doc, HELM_CHARTS.velero.name);
    expect(values.deployNodeAgent).toBe(false);
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const context of [values.containerSecurityContext, values.kubectl.containerSecurityContext, ...values.initContainers.map((c: any) => c.securityContext)]) {
      expect(context).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
  });

  it("places every Loki pod, the memcached caches included, where the monitoring pool is configured", () => {
    const values = releaseValues(doc, HELM_CHARTS.loki.name);
    const pool = config.nodePools?.monitoring && (config.nodePools.monitoring.enabled ?? true);
    for (const key of ["singleBinary", "read", "write", "backend", "gateway", "chunksCache", "resultsCache"]) {
      expect([key, values[key].nodeSelector]).toEqual([key, pool ? MONITORING_PLACEMENT.nodeSelector : undefined]);
    }
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s capacity plan", (name, config) => {
  const plan = capacityPlanOf(config, [platform.addons[name], platform.workloads[name], platform.services[name]]);
  const sources = plan.demand.map((d) => d.source);

  it("fits, and counts what the stacks really place", () => {
    expect(checkCapacity(plan).errors).toEqual([]);
    // Every release of the addons stack, the EKS add-ons and the GuardDuty agent.
    for (const release of platform.addons[name].releases) expect(sources).toContain(`helm release ${release.releaseName}`);
    expect(sources).toEqual(expect.arrayContaining(["EKS add-on coredns", "EKS add-on vpc-cni", "EKS add-on aws-guardduty-agent"]));
    // The Kafka topics Job, waited for (wait_for_completion), where Kafka is on.
    const jobs = plan.demand.filter((d) => d.source.includes(" Job "));
    expect(jobs.map((d) => d.waits)).toEqual((config.kafka.enabled ?? true) ? [true] : []);
    // Each service at its tier's replicas.min (the HPA's lower bound), as Argo CD will place it from the chart.
    const services = plan.demand.find((d) => d.source === kubernetesStackName(name, "services"))!;
    for (const chart of SERVICES) {
      expect(services.pods).toContainEqual(
        expect.objectContaining({ name: `${chart.spec.name} (Argo CD, ${chart.tiers[config.tier].valuesFile})`, replicas: chart.tiers[config.tier].minReplicas }),
      );
    }
  });

  it("reads the NodePools from the workloads stack, available from that stack on", () => {
    const pools = plan.supply.filter((s) => s.nodes === undefined);
    expect(pools.map((p) => p.labels["node-type"])).toEqual(expect.arrayContaining(["karpenter-general", "karpenter-spot"]));
    expect(new Set(pools.map((p) => p.fromStage))).toEqual(new Set([1]));
  });
});
