/** Readers over synthesized Kubernetes stacks: Helm releases, their values, and `kubernetes_manifest` objects. */
import { App } from "cdktf";
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { TerraformJson, configsOf, parse } from "./helpers";

type Doc = string | TerraformJson;
const doc = (synthesized: Doc): TerraformJson => (typeof synthesized === "string" ? parse(synthesized) : synthesized);

/** Every `helm_release`, keyed by its logical id. */
export function releasesOf(synthesized: Doc): Record<string, Record<string, any>> {
  return doc(synthesized).resource?.helm_release ?? {};
}

/** The `helm_release` whose release `name` is `releaseName`; fails when there is none or several. */
export function releaseOf(synthesized: Doc, releaseName: string): Record<string, any> {
  const found = configsOf(doc(synthesized), "helm_release").filter((r) => r.name === releaseName);
  if (found.length !== 1) throw new Error(`expected one helm_release named ${releaseName}, found ${found.length}`);
  return found[0];
}

/** The parsed values of a release (its single `values` document); fails when it has more than one. */
export function releaseValues(synthesized: Doc, releaseName: string): Record<string, any> {
  const release = releaseOf(synthesized, releaseName);
  if (!Array.isArray(release.values) || release.values.length !== 1) {
    throw new Error(`helm_release ${releaseName}: expected exactly one values document, found ${release.values?.length ?? 0}`);
  }
  return JSON.parse(release.values[0]);
}

/** The Terraform address (`helm_release.<id>`) of a release, as it appears in `depends_on`. */
export function releaseAddress(synthesized: Doc, releaseName: string): string {
  const entry = Object.entries(releasesOf(synthesized)).find(([, r]) => r.name === releaseName);
  if (!entry) throw new Error(`no helm_release named ${releaseName}`);
  return `helm_release.${entry[0]}`;
}

/** A manifest read back from a `kubernetes_manifest`, with the resource's Terraform address. */
export interface SynthesizedManifest {
  readonly address: string;
  readonly manifest: Record<string, any>;
  readonly resource: Record<string, any>;
}

/** Every `kubernetes_manifest` object, optionally only those of `kind`. */
export function manifestsOf(synthesized: Doc, kind?: string): SynthesizedManifest[] {
  return Object.entries(doc(synthesized).resource?.kubernetes_manifest ?? {})
    .map(([id, resource]) => ({ address: `kubernetes_manifest.${id}`, manifest: resource.manifest, resource }))
    .filter((m) => kind === undefined || m.manifest.kind === kind);
}

/** The one manifest of `kind` named `name`; fails when there is none or several. */
export function manifestOf(synthesized: Doc, kind: string, name: string): SynthesizedManifest {
  const found = manifestsOf(synthesized, kind).filter((m) => m.manifest.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length}`);
  return found[0];
}

/**
 * Synthesizes a whole app and reads every stack's `cdk.tf.json`, keyed by stack name.
 *
 * Use this (not `Testing.synth(stack)`) for stacks that read another stack's values: cross-stack
 * references (the Kubernetes stacks' remote state of `<env>`) are resolved only when the app synthesizes.
 */
export function synthApp(app: App): Record<string, TerraformJson> {
  app.synth();
  const dir = join(app.outdir, "stacks");
  return Object.fromEntries(readdirSync(dir).map((stack) => [stack, parse(readFileSync(join(dir, stack, "cdk.tf.json"), "utf8"))]));
}
