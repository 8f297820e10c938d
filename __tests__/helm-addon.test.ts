import { Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DEFAULT_HELM_TIMEOUT_SECONDS, HelmAddOn, HelmAddOnProps, assertChartVersion, assertReplicas, mergeValues } from "../modules/kubernetes/helm-addon";
import { ArgoCd, ArgoCdProps } from "../modules/kubernetes/addons/argo-cd";
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

describe("assertReplicas", () => {
  it("accepts whole numbers from 1 and names the field otherwise", () => {
    expect(() => assertReplicas("staging.kubernetes.argoCd", 2)).not.toThrow();
    expect(() => assertReplicas("staging.kubernetes.argoCd", 0)).toThrow("staging.kubernetes.argoCd.replicas: 0 is not a replica count; use a whole number ≥ 1");
    expect(() => assertReplicas("staging.kubernetes.argoRollouts", 1.5)).toThrow("staging.kubernetes.argoRollouts.replicas: 1.5 is not a replica count");
  });
});

describe("ArgoCd single sign-on", () => {
  const sso = { name: "Auth0", issuer: "https://aivo.us.auth0.com/", clientId: "argocd", adminGroup: "platform-admins" };
  const values = (props: Partial<ArgoCdProps>) => {
    let addOn: ArgoCd | undefined;
    Testing.synthScope((scope) => {
      new HelmProvider(scope, "helm", {});
      addOn = new ArgoCd(scope, "argo-cd", { where: "staging.kubernetes.argoCd", chart: HELM_CHARTS.argoCd, url: "https://argocd.staging.aivo.edu", ...props });
    });
    return addOn!.addOn.values as Record<string, any>;
  };

  it("reads the client secret from the argocd-oidc Secret, turns the local admin off and maps the admin group", () => {
    const v = values({ sso });
    expect(v.configs.cm["oidc.config"]).toContain("clientSecret: $argocd-oidc:clientSecret");
    expect(v.configs.cm["oidc.config"]).toContain("issuer: https://aivo.us.auth0.com/");
    expect(v.configs.cm["admin.enabled"]).toBe(false);
    expect(v.configs.rbac["policy.csv"]).toBe("g, platform-admins, role:admin");
    expect(values({}).configs.cm["admin.enabled"]).toBe(true);
    expect(values({}).configs.cm["oidc.config"]).toBeUndefined();
  });

  it("refuses an issuer that is not https", () => {
    expect(() => values({ sso: { ...sso, issuer: "http://issuer" } })).toThrow('staging.kubernetes.argoCd.sso.issuer: "http://issuer" is not an https:// issuer URL');
  });
});
