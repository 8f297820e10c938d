import { Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { DEFAULT_COMPUTED_FIELDS, FIELD_MANAGER, KubernetesManifest, TypedKubernetesObject, describeObject, validateObject } from "../modules/kubernetes/manifest";
import { manifestOf, manifestsOf } from "./kubernetes-helpers";

function synth(object: TypedKubernetesObject, computedFields?: string[]) {
  return Testing.synthScope((scope) => {
    new KubernetesProvider(scope, "kubernetes", {});
    new KubernetesManifest(scope, "object", { where: "dev.k8s.demo", object, computedFields });
  });
}

const issuer = new ClusterIssuer({
  metadata: { name: "selfsigned" },
  spec: { selfSigned: {} },
});

describe("KubernetesManifest", () => {
  const json = synth(issuer);

  it("writes the object as it is, keys untouched (apiVersion, not api_version)", () => {
    const { manifest } = manifestOf(json, "ClusterIssuer", "selfsigned");
    expect(manifest).toEqual({ apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "selfsigned" }, spec: { selfSigned: {} } });
  });

  it("applies server-side as the platform's field manager, with the provider's computed fields", () => {
    const { resource } = manifestsOf(json)[0];
    expect(resource.field_manager).toEqual({ name: FIELD_MANAGER, force_conflicts: true });
    expect(resource.computed_fields).toEqual([...DEFAULT_COMPUTED_FIELDS]);
  });

  it("takes further computed fields", () => {
    const { resource } = manifestsOf(synth(issuer, ["metadata.annotations", "spec.template"]))[0];
    expect(resource.computed_fields).toEqual(["metadata.annotations", "spec.template"]);
  });

  it("keeps nested keys that look like Terraform attributes as they are", () => {
    const cm = new ConfigMap({ metadata: { name: "c", namespace: "aivo" }, data: { "some_key": "v", camelKey: "w" } });
    expect(manifestOf(synth(cm), "ConfigMap", "c").manifest.data).toEqual({ some_key: "v", camelKey: "w" });
  });

  it("rejects an object its upstream schema rejects, naming the object and the field", () => {
    const bad = new NodePool({ metadata: { name: "general" }, spec: {} as never });
    expect(() => synth(bad)).toThrow("dev.k8s.demo: NodePool general: spec must have required property template");
  });

  it("rejects an object without a name", () => {
    expect(() => synth(new ClusterIssuer({ metadata: {}, spec: { selfSigned: {} } }))).toThrow("dev.k8s.demo: ClusterIssuer: metadata.name is required");
  });

  it("names a namespaced object with its namespace", () => {
    expect(describeObject({ kind: "ConfigMap", metadata: { name: "c", namespace: "aivo" } })).toBe("ConfigMap aivo/c");
    const bad = new ConfigMap({ metadata: { name: "c", namespace: "aivo" }, data: { a: 1 as never } });
    expect(() => validateObject("x", bad)).toThrow("x: ConfigMap aivo/c: data.a must be string");
  });
});
