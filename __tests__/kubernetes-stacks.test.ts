import { readFileSync } from "fs";
import { join } from "path";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ENVIRONMENTS } from "../environments";
import { EXEC_API_VERSION, KUBERNETES_STACKS, kubernetesStackName, kubernetesStateKey } from "../environments/kubernetes-stack";
import { HELM_CHARTS, KUBE_SYSTEM_NAMESPACE, NAMESPACES, POD_SECURITY_LEVELS } from "../modules/kubernetes/platform";
import { POD_SECURITY_REASON_ANNOTATION } from "../modules/kubernetes/cluster/namespaces";
import { TerraformJson, configsOf } from "./helpers";
import { synthesizedPlatform } from "./platform";

const { docs, stacks } = synthesizedPlatform(); // the real platform, synthesized once per run
const dependenciesOf = (stack: string) => stacks.find((s) => s.name === stack)!.dependencies;
const names = ENVIRONMENTS.map((e) => e.name);
const addons: Record<string, TerraformJson> = Object.fromEntries(names.map((n) => [n, docs[`${n}-addons`]]));
const workloads: Record<string, TerraformJson> = Object.fromEntries(names.map((n) => [n, docs[`${n}-workloads`]]));

describe("the Kubernetes stacks", () => {
  it("exist for every environment, named <env>-addons and <env>-workloads", () => {
    const stackNames = stacks.map((s) => s.name);
    expect(stackNames.filter((s) => s.endsWith("-addons")).sort()).toEqual(names.map((n) => `${n}-addons`).sort());
    expect(stackNames.filter((s) => s.endsWith("-workloads")).sort()).toEqual(names.map((n) => `${n}-workloads`).sort());
    for (const name of names) {
      expect(kubernetesStackName(name, "addons")).toBe(`${name}-addons`);
    }
  });

  it("deploy in order: <env>, then <env>-addons, then <env>-workloads", () => {
    for (const name of names) {
      expect(dependenciesOf(`${name}-addons`)).toContain(name);
      expect(dependenciesOf(`${name}-workloads`)).toEqual(expect.arrayContaining([name, `${name}-addons`]));
      expect(dependenciesOf(name)).not.toContain(`${name}-addons`);
    }
  });

  it("read the admin role from the environment stack's outputs, which exist there", () => {
    for (const name of names) {
      const args: string[] = addons[name].provider!.kubernetes[0].exec[0].args;
      const output = /outputs\.([^}]+)\}$/.exec(args[7])![1];
      expect(docs[name].output![output].value).toBe("${aws_iam_role.eks_admin-role_A0F9F479.arn}");
    }
  });

  it("are all selected by '<env>*' and by no other environment's pattern", () => {
    // every stack but bootstrap, account and the DR stacks (`<env>-dr`, which `<env>-*` patterns must not miss either)
    const all = stacks.map((s) => s.name).filter((id) => id !== "bootstrap" && id !== "account" && !id.endsWith("-dr"));
    for (const name of names) {
      const selected = all.filter((id) => id.startsWith(name));
      expect(selected.sort()).toEqual([name, `${name}-addons`, `${name}-workloads`, `${name}-services`].sort());
    }
  });
});

describe.each(names)("%s Kubernetes stacks", (name) => {
  const config = ENVIRONMENTS.find((e) => e.name === name)!;
  const stacks = { addons: addons[name], workloads: workloads[name], services: docs[`${name}-services`] };

  it.each(KUBERNETES_STACKS)("%s keeps its state at aivo/<env>/<stack>.tfstate in the shared, encrypted backend", (kind) => {
    expect(kubernetesStateKey(name, kind)).toBe(`aivo/${name}/${kind}.tfstate`);
    expect(stacks[kind].terraform!.backend.s3).toEqual(
      expect.objectContaining({ key: `aivo/${name}/${kind}.tfstate`, encrypt: true, kms_key_id: "alias/aivo/bootstrap/terraform-state" }),
    );
  });

  it.each(KUBERNETES_STACKS)("%s authenticates the kubernetes and helm providers with exec (aws eks get-token) against the cluster read by name", (kind) => {
    const doc = stacks[kind];
    expect(doc.data!.aws_eks_cluster.cluster.name).toBe(`aivo-${name}-eks`);
    expect(doc.data!.aws_eks_cluster_auth).toBeUndefined();
    const kubernetes = doc.provider!.kubernetes[0];
    const helm = doc.provider!.helm[0].kubernetes;
    for (const p of [kubernetes, helm]) {
      expect(p.host).toBe("${data.aws_eks_cluster.cluster.endpoint}");
      expect(p.cluster_ca_certificate).toBe("${base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)}");
      expect(p.token).toBeUndefined();
    }
    expect(kubernetes.exec).toHaveLength(1);
    for (const exec of [kubernetes.exec[0], helm.exec]) {
      expect(exec.api_version).toBe(EXEC_API_VERSION);
      expect(exec.command).toBe("aws");
      expect(exec.args.slice(0, 6)).toEqual(["eks", "get-token", "--cluster-name", `aivo-${name}-eks`, "--region", config.region]);
      // The cluster has no implicit creator admin: the providers assume the environment's admin role.
      expect(exec.args[6]).toBe("--role-arn");
      expect(exec.args[7]).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-[a-z]+\.outputs\..*admin-role.*arn\}$/);
    }
  });

  it.each(KUBERNETES_STACKS)("%s pins hashicorp/kubernetes 2.38 and hashicorp/helm 3.1", (kind) => {
    const providers = stacks[kind].terraform!.required_providers;
    expect(providers.kubernetes).toEqual({ source: "hashicorp/kubernetes", version: "2.38.0" });
    expect(providers.helm).toEqual({ source: "hashicorp/helm", version: "3.1.1" });
    expect(providers.aws.source).toBe("hashicorp/aws");
  });

  it("creates the platform namespaces with pod security labels and the reason for each level", () => {
    const namespaces = configsOf(stacks.addons, "kubernetes_namespace_v1");
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(Object.values(NAMESPACES).map((n) => n.name).sort());
    for (const ns of namespaces) {
      const spec = Object.values(NAMESPACES).find((n) => n.name === ns.metadata.name)!;
      expect(ns.metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": spec.podSecurity,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        environment: name,
      });
      expect(ns.metadata.annotations[POD_SECURITY_REASON_ANNOTATION]).toBe(spec.reason);
      expect(() => new Namespace({ metadata: ns.metadata }).validate()).not.toThrow();
    }
    expect(namespaces.find((n) => n.metadata.name === "aivo")!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });
});

describe("shared constants", () => {
  it("give every namespace a pod security level and a reason", () => {
    for (const spec of Object.values(NAMESPACES)) {
      expect(POD_SECURITY_LEVELS).toContain(spec.podSecurity);
      expect(spec.reason.length).toBeGreaterThan(20);
    }
    expect(Object.values(NAMESPACES).map((n) => n.name)).toEqual(
      expect.arrayContaining(["aivo", "monitoring", "external-secrets", "cert-manager", "karpenter", "velero"]),
    );
  });

  it("are what the components table (docs/modules.md) shows", () => {
    const modulesDoc = readFileSync(join(__dirname, "..", "docs", "modules.md"), "utf8");
    const table = modulesDoc.split("### Components")[1].split("\n\n")[1];
    const rows = table.split("\n").slice(2).map((line) => line.split("|").slice(2, 6).map((cell) => cell.trim()));
    const installed = Object.values(HELM_CHARTS).filter((c) => rows.some(([chart]) => chart === c.chart));
    expect(rows).toEqual(installed.map((c) => [c.chart, c.repository, c.version, c.namespace]));
    expect(rows).toHaveLength(10);
  });

  it("install every chart into a platform namespace or kube-system", () => {
    const allowed = [...Object.values(NAMESPACES).map((n) => n.name), KUBE_SYSTEM_NAMESPACE];
    for (const chart of Object.values(HELM_CHARTS)) expect(allowed).toContain(chart.namespace);
  });
});
