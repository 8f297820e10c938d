import { Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DEFAULT_HELM_TIMEOUT_SECONDS, HelmAddOn, HelmAddOnProps, assertChartVersion, mergeValues } from "../modules/kubernetes/helm-addon";
import { HELM_CHARTS } from "../modules/kubernetes/platform";
import { releaseAddress, releaseOf, releaseValues } from "./kubernetes-helpers";

const chart = { name: "demo", namespace: "demo-ns", chart: "demo-chart", repository: "https://charts.example.com", version: "1.2.3" };

function synth(extra: Partial<HelmAddOnProps> = {}) {
  return Testing.synthScope((scope) => {
    new HelmProvider(scope, "helm", {});
    new KubernetesProvider(scope, "kubernetes", {});
    const ns = new NamespaceV1(scope, "ns", { metadata: { name: "demo-ns" } });
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    const role = new IamRole(scope, "x", { assumeRolePolicy: "{}" });
    const first = new HelmAddOn(scope, "first", { where: "dev.k8s.first", chart: { ...chart, name: "first" }, pods: [] });
    new HelmAddOn(scope, "demo", {
      where: "dev.k8s.demo",
      chart,
      pods: [{ name: "demo", replicas: 3 }],
      defaultValues: { replicaCount: 2, image: { repository: "example/demo", pullPolicy: "IfNotPresent" }, args: ["--a"] },
      values: {
        replicaCount: 3,
        image: { pullPolicy: "Always" },
        // A literal ${…} (OpenTelemetry's env syntax) reaches Helm as written; a reference is a token.
        args: ["--b", "--listen=${env:POD_IP}:4317"],
        serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": role.arn } },
      },
      dependsOn: [ns, first.release],
      ...extra,
    });
  });
}

describe("HelmAddOn", () => {
  const json = synth();
  const release = releaseOf(json, "demo");

  it("installs the pinned chart into its namespace, which it does not create", () => {
    expect(release).toMatchObject({
      name: "demo",
      namespace: "demo-ns",
      chart: "demo-chart",
      repository: "https://charts.example.com",
      version: "1.2.3",
      create_namespace: false,
    });
  });

  it("waits, rolls back a failed release and cleans up, within the default timeout", () => {
    expect(release).toMatchObject({ wait: true, wait_for_jobs: true, atomic: true, cleanup_on_fail: true, timeout: DEFAULT_HELM_TIMEOUT_SECONDS });
  });

  it("renders the merged values once, as one JSON document, and never a set list", () => {
    expect(release.values).toHaveLength(1);
    expect(release.set).toBeUndefined();
    expect(releaseValues(json, "demo")).toEqual({
      replicaCount: 3,
      image: { repository: "example/demo", pullPolicy: "Always" },
      args: ["--b", "--listen=$${env:POD_IP}:4317"],
      serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.x.arn}" } },
    });
  });

  it("depends on what it is given, in order", () => {
    expect(release.depends_on).toEqual(["kubernetes_namespace_v1.ns", releaseAddress(json, "first")]);
  });

  it("turns atomic off on request, and takes a timeout", () => {
    const other = releaseOf(synth({ atomic: false, timeoutSeconds: 900 }), "demo");
    expect(other).toMatchObject({ atomic: false, cleanup_on_fail: false, timeout: 900 });
  });

  it("rejects a chart version that is not pinned semver, naming the path", () => {
    expect(() => synth({ chart: { ...chart, version: "^1.2" } })).toThrow(
      'dev.k8s.demo.version: "^1.2" is not a pinned chart version; use semver like 1.2.3 or v1.2.3 (no ranges)',
    );
    expect(() => assertChartVersion("x", "latest")).toThrow(/x\.version: "latest"/);
    expect(() => assertChartVersion("x", "v1.21.1")).not.toThrow();
    expect(() => assertChartVersion("x", "1.0.0-rc.1")).not.toThrow();
  });

  it("rejects a credential in values", () => {
    expect(() => synth({ values: { auth: { password: "hunter2" } } })).toThrow(
      "dev.k8s.demo.values.auth.password: a credential in Helm values is written to the plan and state in clear",
    );
    expect(() => synth({ values: { auth: { existingSecret: "demo-auth", password: "" } } })).not.toThrow();
  });

  it("rejects a timeout outside 60-3600 s", () => {
    expect(() => synth({ timeoutSeconds: 5 })).toThrow("dev.k8s.demo.timeoutSeconds: 5 is not a whole number of seconds between 60 and 3600");
  });
});

describe("mergeValues", () => {
  it("merges objects deeply, replaces arrays and scalars, keeps defaults for undefined", () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: "x", e: 1 }, { a: { c: [3] }, d: null, e: undefined })).toEqual({ a: { b: 1, c: [3] }, d: null, e: 1 });
  });
  it("does not modify its inputs", () => {
    const defaults = { a: { b: 1 } };
    mergeValues(defaults, { a: { b: 2 } });
    expect(defaults).toEqual({ a: { b: 1 } });
  });
});

describe("HELM_CHARTS", () => {
  it.each(Object.entries(HELM_CHARTS))("%s is pinned to a semver version from an https or oci repository", (_key, c) => {
    expect(() => assertChartVersion(c.name, c.version)).not.toThrow();
    expect(c.repository).toMatch(/^(https|oci):\/\//);
  });
});
