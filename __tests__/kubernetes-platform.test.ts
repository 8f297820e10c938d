import { ClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { ValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ENVIRONMENTS } from "../environments";
import { SERVICES } from "../environments/services";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, route53HealthCheckersPrefixList } from "../modules/aws/network/alb-origin-security-group";
import { LBC_CLUSTER_TAG } from "../modules/kubernetes/addons/aws-load-balancer-controller";
import { CONTROL_PLANE_TO_NODE_PORTS } from "../modules/aws/compute/eks";
import { KARPENTER_VERSION } from "../modules/aws/compute/karpenter-prerequisites";
import { CLUSTER_ISSUERS, CLUSTER_SECRET_STORE_NAME, CONTROLLER_NODE_SELECTOR, HELM_CHARTS, HelmChartKey, IRSA_ROLE_ANNOTATION, NAMESPACES } from "../modules/kubernetes/platform";
import { POLICY_EXCLUDED_NAMESPACES } from "../modules/kubernetes/addons/kyverno";
import { SEVERITIES } from "../modules/aws/observability/alerting";
import { TerraformJson, configsOf, policy } from "./helpers";
import { offHoursWindow } from "../environments/user-experience";
import { offHoursDisruptionBudget } from "../modules/kubernetes/cluster/karpenter-node-pools";
import { platformDocs } from "./platform";
import { manifestOf, manifestsOf, releaseAddress, releaseOf, releaseValues, releasesOf } from "./kubernetes-helpers";

const docs = platformDocs(); // the real platform, synthesized once per run

/** The order the issue asks for; each release waits for the one before. */
const ORDER: HelmChartKey[] = [
  "awsLoadBalancerController",
  "certManager",
  "externalSecrets",
  "karpenterCrd",
  "karpenter",
  "metricsServer",
  "externalDns",
  "kyverno",
  "kyvernoPolicies",
  "adotCollector",
];

/** The value an environment-stack output holds, from the remote-state reference that reads it. */
function outputValue(envDoc: TerraformJson, reference: string): string {
  const name = /outputs\.([^}]+)\}$/.exec(reference)?.[1];
  if (!name) throw new Error(`not a remote-state output reference: ${reference}`);
  return envDoc.output![name].value;
}

/** The IAM role (by name) and its inline policy statements. */
function roleNamed(doc: TerraformJson, name: string) {
  const [id, role] = Object.entries(doc.resource!.aws_iam_role).find(([, r]) => r.name === name)!;
  const inline = configsOf(doc, "aws_iam_role_policy").find((p) => p.role === `\${aws_iam_role.${id}.name}`)!;
  return { address: `aws_iam_role.${id}`, role, statements: policy(inline.policy).Statement, trust: policy(role.assume_role_policy).Statement[0] };
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s addons", (name, config) => {
  const doc = docs[`${name}-addons`];
  const env = docs[name];
  const cluster = `aivo-${name}-eks`;

  it("puts a PodDisruptionBudget only on workloads with more than one replica (one on a single pod blocks every node drain)", () => {
    const blocking: string[] = [];
    const walk = (values: any, path: string) => {
      if (values === null || typeof values !== "object") return;
      const pdb = values.podDisruptionBudget ?? values.pdb;
      const replicas = values.replicaCount ?? values.replicas;
      if (pdb?.enabled === true && pdb.minAvailable !== undefined && typeof replicas === "number" && replicas <= pdb.minAvailable) {
        blocking.push(`${path}: ${replicas} replica(s), minAvailable ${pdb.minAvailable}`);
      }
      for (const [key, child] of Object.entries(values)) walk(child, `${path}.${key}`);
    };
    for (const release of Object.values(releasesOf(doc))) walk(JSON.parse(release.values[0]), release.name);
    expect(blocking).toEqual([]);
  });

  it("installs every chart pinned, from its repository, into its namespace, with one values document and no set list", () => {
    for (const key of ORDER) {
      const chart = HELM_CHARTS[key];
      const release = releaseOf(doc, chart.name);
      expect(release).toMatchObject({ chart: chart.chart, repository: chart.repository, version: chart.version, namespace: chart.namespace });
      expect(release).toMatchObject({ wait: true, atomic: true, create_namespace: false });
      expect(release.values).toHaveLength(1);
      expect(release.set).toBeUndefined();
    }
    // The platform's controllers, then observability and backups (issue 11), and nothing else.
    // …the VPA (issue 18; the NVIDIA device plugin only where a GPU pool is on).
    const OBSERVABILITY: HelmChartKey[] = ["prometheusOperatorCrds", "kubePrometheusStack", "loki", "alloy", "velero"];
    const COMPUTE: HelmChartKey[] = ["verticalPodAutoscaler", ...(config.nodePools?.nvidiaDevicePlugin ? (["nvidiaDevicePlugin"] as HelmChartKey[]) : [])];
    // …and the services' delivery (issue 25).
    const DELIVERY: HelmChartKey[] = ["argoRollouts", "argoCd"];
    expect(configsOf(doc, "helm_release").map((r) => r.name).sort()).toEqual([...ORDER, ...OBSERVABILITY, ...COMPUTE, ...DELIVERY].map((k) => HELM_CHARTS[k].name).sort());
    expect(HELM_CHARTS.karpenter.version).toBe(KARPENTER_VERSION);
  });

  it("installs Argo Rollouts, then Argo CD, on the controllers' nodes in restricted namespaces, without Dex or a dashboard", () => {
    for (const key of ["argoRollouts", "argoCd"] as const) {
      const release = releaseOf(doc, HELM_CHARTS[key].name);
      expect(release).toMatchObject({ chart: HELM_CHARTS[key].chart, version: HELM_CHARTS[key].version, namespace: HELM_CHARTS[key].namespace, wait: true, atomic: true });
      expect(NAMESPACES[key].podSecurity).toBe("restricted");
    }
    expect(releaseOf(doc, "argocd").depends_on).toContain(releaseAddress(doc, "argo-rollouts"));
    const argoCd = releaseValues(doc, "argocd");
    expect(argoCd.global.nodeSelector).toMatchObject(CONTROLLER_NODE_SELECTOR);
    expect(argoCd).toMatchObject({ dex: { enabled: false }, notifications: { enabled: false }, crds: { install: true, keep: true } });
    expect(argoCd.configs.cm["admin.enabled"]).toBe(config.kubernetes.argoCdSso === undefined);
    expect(argoCd.configs.rbac["policy.default"]).toBe("role:readonly");
    const replicas = config.kubernetes.replicas?.argoCd ?? (config.tier === "development" ? 1 : 2);
    expect([argoCd.server.replicas, argoCd.repoServer.replicas]).toEqual([replicas, replicas]);
    // A failed release alerts: the controller's metrics are scraped, and its rules watch the services' project.
    expect(releaseOf(doc, "argocd").depends_on).toContain(releaseAddress(doc, HELM_CHARTS.prometheusOperatorCrds.name));
    expect(argoCd.controller.metrics).toMatchObject({ enabled: true, serviceMonitor: { enabled: true }, rules: { enabled: true } });
    const rules = argoCd.controller.metrics.rules.spec as { alert: string; expr: string; labels: { severity: string } }[];
    expect(rules.map((r) => r.alert)).toEqual(["AivoServiceSyncFailed", "AivoServiceDegraded", "AivoServiceReleaseStuck"]);
    for (const r of rules) {
      expect(r.expr).toContain('project="aivo-services"');
      expect(SEVERITIES).toContain(r.labels.severity);
    }
    const rollouts = releaseValues(doc, "argo-rollouts");
    expect(rollouts.controller.nodeSelector).toEqual(CONTROLLER_NODE_SELECTOR);
    expect(rollouts).toMatchObject({ installCRDs: true, dashboard: { enabled: false }, podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } });
  });

  it("installs in order: LB controller, cert-manager, External Secrets, Karpenter, metrics-server, external-dns, Kyverno, the ADOT collector", () => {
    expect(releaseOf(doc, HELM_CHARTS.awsLoadBalancerController.name).depends_on).toBeUndefined();
    ORDER.slice(1).forEach((key, i) => {
      expect(releaseOf(doc, HELM_CHARTS[key].name).depends_on).toContain(releaseAddress(doc, HELM_CHARTS[ORDER[i]].name));
    });
    expect(releaseOf(doc, "karpenter").skip_crds).toBe(true);
  });

  it("gives each controller's service account the role created for exactly that service account", () => {
    const cases: [string, string, string, string][] = [
      ["aws-load-balancer-controller", "kube-system", "aws-load-balancer-controller", `${cluster}-aws-load-balancer-controller`],
      ["cert-manager", "cert-manager", "cert-manager", `${cluster}-cert-manager`],
      ["external-secrets", "external-secrets", "external-secrets", `${cluster}-external-secrets`],
      ["external-dns", "kube-system", "external-dns", `${cluster}-external-dns`],
    ];
    for (const [release, namespace, serviceAccount, roleName] of cases) {
      const values = releaseValues(doc, release);
      const role = roleNamed(doc, roleName);
      expect(values.serviceAccount).toMatchObject({ create: true, name: serviceAccount, annotations: { [IRSA_ROLE_ANNOTATION]: `\${${role.address}.arn}` } });
      expect(Object.values(role.trust.Condition.StringEquals)).toContain(`system:serviceaccount:${namespace}:${serviceAccount}`);
    }
  });

  it("wires Karpenter to the cluster, its interruption queue and its existing controller role, on Fargate (issue 18)", () => {
    const values = releaseValues(doc, "karpenter");
    expect(values.settings.clusterName).toBe(cluster);
    expect(outputValue(env, values.settings.interruptionQueue)).toMatch(/^\$\{aws_sqs_queue\.eks_karpenter_.*\.name\}$/);
    expect(outputValue(env, values.serviceAccount.annotations[IRSA_ROLE_ANNOTATION])).toMatch(/^\$\{aws_iam_role\.eks_karpenter_controller-role_.*\.arn\}$/);
    // Its namespace is a Fargate profile's in every environment: no node selector pins it to a node group.
    expect(config.fargate?.profiles?.karpenter).toEqual([{ namespace: "karpenter" }]);
    expect(values.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    expect(values.replicas).toBe(config.kubernetes.replicas?.karpenter ?? 2);
  });

  it("points the LB controller at this cluster, region and VPC", () => {
    const values = releaseValues(doc, "aws-load-balancer-controller");
    expect(values).toMatchObject({ clusterName: cluster, region: config.region, webhookBindPort: 9443 });
    expect(outputValue(env, values.vpcId)).toMatch(/^\$\{aws_vpc\.network_vpc_.*\.id\}$/);
  });

  it("filters external-dns to this environment's public and private zones", () => {
    const values = releaseValues(doc, "external-dns");
    expect(values.domainFilters).toEqual([config.edge.domain, `internal.${config.edge.domain}`]);
    const zoneIds = values.extraArgs.filter((a: string) => a.startsWith("--zone-id-filter=")).map((a: string) => outputValue(env, a.split("=")[1]));
    // The public zone is the account stack's, looked up by name in the environment stack; the private one is the edge's.
    expect(zoneIds).toEqual(["${data.aws_route53_zone.public-zone.zone_id}", expect.stringMatching(/aws_route53_zone\.edge_private-zone_.*\.zone_id/)]);
    // Only flags external-dns has (an unknown flag stops it from starting).
    // --ignore-ingress-*-spec: external-dns v0.x flags (pkg/apis/externaldns/types.go); only the hostname annotation names records.
    expect(values.extraArgs.map((a: string) => a.split("=")[0])).toEqual(["--zone-id-filter", "--zone-id-filter", "--ignore-ingress-rules-spec", "--ignore-ingress-tls-spec"]);
    expect(values.env).toEqual([{ name: "AWS_DEFAULT_REGION", value: config.region }]);
    expect(values.txtOwnerId).toBe(cluster);
    expect(values.policy).toBe(config.tier === "production" ? "upsert-only" : "sync");
  });

  it("installs cert-manager's and External Secrets' CRDs with their charts", () => {
    expect(releaseValues(doc, "cert-manager").crds).toEqual({ enabled: true, keep: true });
    expect(releaseValues(doc, "external-secrets").installCRDs).toBe(true);
  });

  it("runs cert-manager's DNS01 self-check against the VPC's resolver only (the private tier's ACL admits no port 53 out)", () => {
    const base = config.network.vpcCidr.split("/")[0].split(".").map(Number);
    const resolver = [...base.slice(0, 3), base[3] + 2].join(".");
    expect(releaseValues(doc, "cert-manager").extraArgs).toEqual(["--dns01-recursive-nameservers-only", `--dns01-recursive-nameservers=${resolver}:53`]);
  });

  it(`applies the restricted pod security policies in ${config.kubernetes.policyAction} mode, outside the privileged namespaces`, () => {
    const values = releaseValues(doc, "kyverno-policies");
    expect(values.podSecurityStandard).toBe("restricted");
    expect(values.validationFailureAction).toBe(config.tier === "development" ? "Audit" : "Enforce");
    expect(values.vpolExclude.excludeNamespaces).toEqual([...POLICY_EXCLUDED_NAMESPACES]);
    expect(values.vpolExclude.excludeNamespaces).not.toContain("aivo");
    const kyverno = releaseValues(doc, "kyverno");
    const replicas = config.kubernetes.replicas?.kyverno ?? 2;
    expect(kyverno.admissionController.replicas).toBe(replicas);
    // A PDB on a single replica would block every node drain.
    expect(kyverno.admissionController.podDisruptionBudget).toEqual({ enabled: replicas > 1, minAvailable: 1 });
  });

  it("scopes the LB controller's mutating actions to resources tagged for this cluster", () => {
    const { statements } = roleNamed(doc, `${cluster}-aws-load-balancer-controller`);
    const mutating = statements.filter((s) => ["ManageOwnSecurityGroups", "ModifyOwnLoadBalancers", "RetagOwnLoadBalancers", "RetagOwnSecurityGroups"].includes(s.Sid));
    expect(mutating).toHaveLength(4);
    for (const s of mutating) expect(s.Condition.StringEquals[`aws:ResourceTag/${LBC_CLUSTER_TAG}`]).toBe(cluster);
    for (const sid of ["CreateTaggedLoadBalancers", "TagNewSecurityGroups", "TagOnCreate"]) {
      expect(statements.find((s) => s.Sid === sid)!.Condition.StringEquals[`aws:RequestTag/${LBC_CLUSTER_TAG}`]).toBe(cluster);
    }
    const sgRules = statements.find((s) => s.Sid === "SecurityGroupRulesInThisVpc")!;
    expect(sgRules.Condition.ArnEquals["ec2:Vpc"]).toMatch(/:vpc\/\$\{data\.terraform_remote_state/);
  });

  it("lets cert-manager change only TXT challenge records, only in this environment's zones", () => {
    const { statements } = roleNamed(doc, `${cluster}-cert-manager`);
    const change = statements.find((s) => (s.Action as string[]).includes?.("route53:ChangeResourceRecordSets"))!;
    expect(change.Resource).toHaveLength(2);
    for (const arn of change.Resource) expect(outputValue(env, arn.split("hostedzone/")[1])).toMatch(/^\$\{data\.aws_route53_zone\.public-zone\.zone_id\}$|aws_route53_zone\.edge_private-zone_/);
    expect(change.Condition["ForAllValues:StringEquals"]["route53:ChangeResourceRecordSetsRecordTypes"]).toEqual(["TXT"]);
    expect(change.Condition["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual(["_acme-challenge.*"]);
  });

  it("lets external-dns change records only in this environment's zones", () => {
    const { statements } = roleNamed(doc, `${cluster}-external-dns`);
    const change = statements.find((s) => s.Sid === "ChangeEnvironmentRecords")!;
    expect(change.Resource.map((arn: string) => outputValue(env, arn.split("hostedzone/")[1]))).toEqual([
      expect.stringMatching(/public-zone/),
      expect.stringMatching(/private-zone/),
    ]);
    const wildcard = statements.filter((s) => s.Resource === "*").flatMap((s) => s.Action);
    expect(wildcard).toEqual(["route53:ListHostedZones", "route53:ListTagsForResources"]);
  });

  it("lets External Secrets read only aivo/<env>/* and decrypt only those secrets through Secrets Manager", () => {
    const { statements } = roleNamed(doc, `${cluster}-external-secrets`);
    const read = statements.find((s) => s.Sid === "ReadEnvironmentSecrets")!;
    expect(read.Resource).toMatch(new RegExp(`:secretsmanager:${config.region}:\\$\\{.*\\}:secret:aivo/${name}/\\*$`));
    expect(read.Action).not.toContain("secretsmanager:ListSecrets");
    const decrypt = statements.find((s) => s.Sid === "DecryptEnvironmentSecrets")!;
    expect(decrypt.Action).toBe("kms:Decrypt");
    expect(decrypt.Condition.StringEquals["kms:ViaService"]).toBe(`secretsmanager.${config.region}.amazonaws.com`);
    expect(decrypt.Condition.StringLike["kms:EncryptionContext:SecretARN"]).toBe(read.Resource);
  });

  it("never grants Action * or an unconditioned mutating action on every resource", () => {
    for (const p of configsOf(doc, "aws_iam_role_policy")) {
      for (const s of policy(p.policy).Statement) {
        expect(s.Action).not.toBe("*");
        const actions = ([] as string[]).concat(s.Action);
        if (s.Resource === "*" && !s.Condition) {
          for (const a of actions) expect(a).toMatch(/:(Describe|Get|List)|^(ec2:CreateSecurityGroup|elasticloadbalancing:(Create|Delete)(Listener|Rule)|elasticloadbalancing:(SetWebAcl|ModifyListener|AddListenerCertificates|RemoveListenerCertificates|ModifyRule|SetRulePriorities)|acm:|iam:(ListServerCertificates|GetServerCertificate)|cognito-idp:|waf-regional:|wafv2:|shield:)/);
        }
      }
    }
  });

  it("lets the control plane reach every controller's webhook port on the nodes, and no other high port", () => {
    const lbc = releaseValues(doc, "aws-load-balancer-controller").webhookBindPort;
    const metrics = releaseValues(doc, "metrics-server").containerPort;
    // Chart defaults: cert-manager webhook securePort 10250, External Secrets webhook port 10250,
    // Kyverno admission 9443, Karpenter 8443.
    const webhookPorts = [lbc, metrics, 10250, 9443, 8443];
    const fromCluster = configsOf(env, "aws_vpc_security_group_ingress_rule").filter(
      (r) => /eks_node-sg/.test(r.security_group_id) && /eks_cluster-sg/.test(r.referenced_security_group_id ?? ""),
    );
    for (const port of webhookPorts) expect(fromCluster).toContainEqual(expect.objectContaining({ from_port: port, to_port: port, ip_protocol: "tcp" }));
    expect(Object.values(CONTROL_PLANE_TO_NODE_PORTS).map((p) => p.port)).toEqual(expect.arrayContaining(webhookPorts));
    for (const rule of fromCluster) expect(rule.to_port).toBe(rule.from_port);
  });

  it("admits HTTPS to the public ALB only from CloudFront's origin-facing and Route 53's health-checker prefix lists, and exports the groups", () => {
    expect(Object.values(doc.data!.aws_ec2_managed_prefix_list).map((l: any) => l.name).sort()).toEqual(
      [CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, route53HealthCheckersPrefixList(config.region)].sort(),
    );
    const ingress = configsOf(doc, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) {
      expect(rule).toEqual(expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, prefix_list_id: expect.stringMatching(/aws_ec2_managed_prefix_list/) }));
      expect(rule.cidr_ipv4).toBeUndefined();
    }
    expect(doc.output!.alb_security_group_ids.value).toHaveLength(2);
    const egress = configsOf(doc, "aws_vpc_security_group_egress_rule");
    expect(outputValue(env, egress[0].referenced_security_group_id)).toMatch(/eks_node-sg/);
    expect(doc.output!.alb_security_group_id.value).toMatch(/^\$\{aws_security_group\.alb-origin-sg_group_.*\.id\}$/);
    expect(doc.output!.helm_releases.value).toMatchObject({ karpenter: `karpenter@${KARPENTER_VERSION}`, "cert-manager": "cert-manager@v1.21.1" });
    expect(doc.output!.external_secrets_role_arn.value).toBe(`\${${roleNamed(doc, `${cluster}-external-secrets`).address}.arn}`);
  });
});

describe("reviewed snapshots", () => {
  it.each(ENVIRONMENTS.flatMap((e) => [`${e.name}-addons`, `${e.name}-workloads`]))("%s matches the reviewed snapshot of its Terraform", (stack) => {
    expect(docs[stack]).toMatchSnapshot();
  });
});

const MODELS: Record<string, { new (data: any): { validate(): void } }> = {
  ClusterSecretStore,
  ClusterIssuer,
  Certificate,
  EC2NodeClass,
  NodePool,
  NetworkPolicy,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  ExternalSecret, // the monitoring credentials (issue 11)
};

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s workloads", (name, config) => {
  const doc = docs[`${name}-workloads`];

  it("holds only objects that pass their upstream schema", () => {
    const all = manifestsOf(doc);
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const { manifest } of all) {
      const Model = MODELS[manifest.kind];
      expect(Model).toBeDefined();
      expect(() => new Model(manifest).validate()).not.toThrow();
    }
  });

  it("has a ClusterSecretStore for Secrets Manager in the environment's region, authenticated by the operator's role", () => {
    const { manifest } = manifestOf(doc, "ClusterSecretStore", CLUSTER_SECRET_STORE_NAME);
    expect(manifest.apiVersion).toBe("external-secrets.io/v1");
    expect(manifest.spec.provider.aws).toEqual({ service: "SecretsManager", region: config.region });
  });

  it("has an ACME DNS01 issuer on this environment's public zone and a private CA issuer", () => {
    const acme = manifestOf(doc, "ClusterIssuer", CLUSTER_ISSUERS.public).manifest.spec.acme;
    expect(acme.server).toBe("https://acme-v02.api.letsencrypt.org/directory");
    expect(acme.solvers).toEqual([{ selector: { dnsZones: [config.edge.domain] }, dns01: { route53: { region: config.region, hostedZoneID: expect.stringContaining("public-zone") } } }]);
    expect(manifestOf(doc, "ClusterIssuer", CLUSTER_ISSUERS.private).manifest.spec).toEqual({ ca: { secretName: "aivo-private-ca" } });
    const ca = manifestOf(doc, "Certificate", "aivo-private-ca");
    expect(ca.manifest.spec).toMatchObject({ isCA: true, issuerRef: { name: CLUSTER_ISSUERS.selfSigned, kind: "ClusterIssuer" } });
    expect(ca.resource.depends_on).toEqual([manifestOf(doc, "ClusterIssuer", CLUSTER_ISSUERS.selfSigned).address]);
  });

  it("selects Karpenter's subnets and security groups by the discovery tag, with the configured AMI alias", () => {
    const spec = manifestOf(doc, "EC2NodeClass", "default").manifest.spec;
    const discovery = { "karpenter.sh/discovery": `aivo-${name}-eks` };
    expect(spec.subnetSelectorTerms).toEqual([{ tags: discovery }]);
    expect(spec.securityGroupSelectorTerms).toEqual([{ tags: discovery }]);
    expect(spec.amiSelectorTerms).toEqual([{ alias: config.kubernetes.karpenter.amiAlias }]);
    if (config.tier === "development") expect(spec.amiSelectorTerms[0].alias).toBe("al2023@latest");
    else expect(spec.amiSelectorTerms[0].alias).toMatch(/^al2023@v\d{8}$/);
    // Hop limit 1, as the managed node groups: pods reach AWS only through their own roles (IRSA).
    expect(spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, kmsKeyID: expect.stringContaining("eks_ebs-key") });
  });

  it.each(["general", "spot"] as const)("has the %s NodePool with the configured limits and budgets", (pool) => {
    const p = config.kubernetes.karpenter[pool];
    const spec = manifestOf(doc, "NodePool", pool).manifest.spec;
    expect(spec.limits).toEqual({ cpu: String(p.cpuLimit), memory: `${p.memoryLimitGiB}Gi` });
    // The configured budgets, and where off-hours scaling is on, the schedule-aware one after them.
    const hours = offHoursWindow(config);
    expect(spec.disruption.budgets).toEqual([
      ...p.budgets.map((b) => expect.objectContaining({ nodes: b.nodes })),
      ...(hours ? [offHoursDisruptionBudget(hours)] : []),
    ]);
    expect(spec.template.spec.requirements).toContainEqual({ key: "karpenter.sh/capacity-type", operator: "In", values: [pool === "spot" ? "spot" : "on-demand"] });
    expect(spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" });
    if (config.tier === "production") expect(spec.disruption.budgets[0]).toEqual({ nodes: "1" });
  });

  it("denies all traffic in aivo, then allows DNS, the load balancer and Prometheus", () => {
    const policies = manifestsOf(doc, "NetworkPolicy").map((m) => m.manifest);
    expect(policies.every((p) => p.metadata.namespace === "aivo")).toBe(true);
    expect(policies.find((p) => p.metadata.name === "default-deny-all")!.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const dns = policies.find((p) => p.metadata.name === "allow-dns")!.spec.egress[0];
    expect(dns.ports).toEqual([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
    expect(dns.to[0].podSelector.matchLabels).toEqual({ "k8s-app": "kube-dns" });
    const lb = policies.find((p) => p.metadata.name === "allow-from-load-balancer")!.spec.ingress[0].from;
    expect(lb.map((f: { ipBlock: { cidr: string } }) => f.ipBlock.cidr)).toEqual(config.network.publicSubnets);
    const scrape = policies.find((p) => p.metadata.name === "allow-prometheus-scrape")!.spec.ingress[0].from[0];
    expect(scrape.namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "monitoring" });
  });

  it(`checks requests/limits and image tags in aivo (${config.tier === "development" ? "warn and audit" : "deny"})`, () => {
    const bindings = manifestsOf(doc, "ValidatingAdmissionPolicyBinding").map((m) => m.manifest.spec);
    expect(bindings.map((b) => b.policyName).sort()).toEqual(["aivo-disallow-latest-tag", "aivo-require-requests-limits"]);
    for (const b of bindings) {
      expect(b.validationActions).toEqual(config.tier === "development" ? ["Warn", "Audit"] : ["Deny"]);
      expect(b.matchResources.namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "aivo" });
    }
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s origin health check", (name, config) => {
  const checks = configsOf(docs[name], "aws_route53_health_check");
  // The services' Ingresses are rendered by Argo CD from the chart with each Application's platform values
  // (__tests__/service-chart.test.ts renders the health path's Exact route); here, what cdktf hands them.
  const applications = manifestsOf(docs[`${name}-services`], "Application").map((m) => m.manifest);
  const ingresses = applications.map((a) => a.spec.source.helm.valuesObject.platform.ingress);

  it("checks a path the services' Ingress routes to a service whose readiness probe it is (200 only from a ready pod)", () => {
    expect(checks).toHaveLength(1);
    const [check] = checks;
    const answering = applications.filter((a) => a.spec.source.helm.valuesObject.platform.ingress.healthCheckPath !== undefined);
    expect(answering).toHaveLength(1);
    const ingress = answering[0].spec.source.helm.valuesObject.platform.ingress;
    expect(ingress.healthCheckPath).toBe(check.resource_path);
    // With DR the Ingress answers to the regional name too (modules/aws/edge/origin-names): one rule per name.
    expect([ingress.host, ...(ingress.additionalHosts ?? [])]).toContain(check.fqdn);
    const service = SERVICES.find((c) => c.spec.name === answering[0].metadata.name)!;
    expect(service.spec.probes.readiness).toBe(check.resource_path);
    expect(service.spec.publicPaths?.length).toBeGreaterThan(0);
  });

  it("lets Route 53's health checkers reach the ALB: a second group with their prefix list, named in the Ingress", () => {
    const addons = docs[`${name}-addons`];
    const lists = Object.values(addons.data!.aws_ec2_managed_prefix_list).map((l: any) => l.name);
    expect(lists).toEqual(expect.arrayContaining([CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, route53HealthCheckersPrefixList(config.region)]));
    const groups = configsOf(addons, "aws_security_group");
    expect(groups.map((g) => g.name).sort()).toEqual([`aivo-${name}-alb-health-checks`, `aivo-${name}-alb-origin`]);
    // Egress only through the separate rule resource: no inline block to fight it.
    for (const group of groups) expect(group.egress).toBeUndefined();
    const fromCheckers = configsOf(addons, "aws_vpc_security_group_ingress_rule").find((r) => /route53-health-checkers/.test(r.prefix_list_id));
    expect(fromCheckers).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: "tcp" });
    for (const ingress of ingresses) expect(ingress.securityGroup.split(",")).toHaveLength(2);
  });
});
