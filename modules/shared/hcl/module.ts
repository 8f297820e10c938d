import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ATTRIBUTES_AS_BLOCKS, BlockTree, blockTrees, hclBlock, hclExpression, variableSpec } from "./index";

/**
 * A standalone Terraform module (HCL) written from a construct: the construct is synthesized once
 * with a *sample* value for every input, chosen so that the construct's own validation accepts it and
 * distinct enough to be found again in the Terraform JSON; every place a sample lands is then
 * replaced by the variable's reference (`var.node_type`, `"${var.environment}-cache"`). The resources,
 * their arguments and their dependencies are the construct's, not a copy. What a construct decides in
 * TypeScript (a resource per list item, an argument only when a flag is set) is expressed per module
 * with `overrides` (an argument set to an expression: a `count`, a `for_each`, a conditional).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A `validation` block of a variable. */
export interface VariableValidation {
  /** The condition, an HCL expression over `var.<name>` (and, Terraform ≥ 1.9, other variables). */
  readonly condition: string;
  readonly errorMessage: string;
}

/** One input of the module. */
export interface ModuleVariable {
  /** snake_case, as terraform-aws-modules name inputs. */
  readonly name: string;
  /** An HCL type expression, e.g. `list(string)`, `map(object({ … }))`. */
  readonly type: string;
  readonly description: string;
  /** The default; absent makes the input required. */
  readonly default?: Json;
  /**
   * The value the construct is synthesized with; every string or number leaf must be unique enough to
   * be found again (the generator fails when a sample is left in the output or never lands).
   * Booleans and values the construct does not pass through are `undefined` (use `overrides`).
   */
  readonly sample?: Json;
  readonly validations?: readonly VariableValidation[];
  readonly sensitive?: boolean;
}

/** One output: an HCL expression (usually `${…}` from a construct's readonly attribute). */
export interface ModuleOutput {
  readonly description: string;
  readonly value: string;
  readonly sensitive?: boolean;
}

/** An argument of every resource (or data source) of `type` whose cleaned name matches `name`, set to `value`. */
export interface ModuleOverride {
  readonly kind?: "resource" | "data";
  readonly type: string;
  /** Matches the cleaned resource name; every resource of the type when absent. */
  readonly name?: RegExp;
  /** Argument name (top level of the resource); a value of `undefined` deletes it. */
  readonly argument: string;
  readonly value: Json | undefined;
}

export interface ModuleDefinition {
  /** The folder name under `dist/terraform/modules`. */
  readonly name: string;
  /** A paragraph for the README: what the module creates. */
  readonly description: string;
  /** The construct (TypeScript) the module is generated from, for the README. */
  readonly construct: string;
  readonly variables: readonly ModuleVariable[];
  /** Builds the construct with `samples` (a variable's `sample` by name) and returns its outputs. */
  build(scope: Construct, samples: Readonly<Record<string, Json>>): Record<string, ModuleOutput>;
  /** Resource arguments the samples cannot express. */
  readonly overrides?: readonly ModuleOverride[];
  /** Locals of the module (name → JSON value, e.g. "${…}"), for the overrides to use. */
  readonly locals?: Readonly<Record<string, Json>>;
  /** Literal text replaced after the samples (e.g. a value the construct derives from a sample). */
  readonly replacements?: readonly (readonly [from: string, to: string])[];
  /** Literal text replaced once the samples are references (e.g. `var.groups.sample.` → `each.value.`). */
  readonly postReplacements?: readonly (readonly [from: string, to: string])[];
  /** New names of resources, by their cleaned name (`cpu_001` → `cpu`). */
  readonly renames?: Readonly<Record<string, string>>;
  /** Nested blocks the overrides write that the construct's own resources did not show (`resource.<type>` → tree). */
  readonly blocks?: Readonly<Record<string, BlockTree>>;
  /** Edits the overrides cannot express (inside a nested block), after them. */
  transform?(doc: ModuleDocument): void;
  /** What the module leaves to cdktf (props that are not variables, and why), for the README. */
  readonly notes?: readonly string[];
  /** The minimal call shown in `examples/minimal` (required inputs only, plus these). */
  readonly example: Readonly<Record<string, Json>>;
}

/** The `required_providers` and `required_version` every module pins (from the stacks' own pins). */
export interface ModuleVersions {
  readonly requiredVersion: string;
  readonly providers: Readonly<Record<string, { readonly source: string; readonly version: string }>>;
}

/** The synthesized module as Terraform JSON sections, before it is written as files. */
export interface ModuleDocument {
  variable: Record<string, JsonObject>;
  readonly locals: JsonObject;
  readonly data: Record<string, Record<string, JsonObject>>;
  readonly resource: Record<string, Record<string, JsonObject>>;
  readonly output: Record<string, JsonObject>;
}

const IDENTIFIER_SAFE = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^([^A-Za-z_])/, "_$1");

/** `m_cache_data-key_key_1A2B3C4D` (scope `m`, construct `cache`, cdktf's hash) → `data_key_key`. */
function cleanName(logicalId: string): string {
  return IDENTIFIER_SAFE(logicalId.replace(/_[0-9A-F]{8}$/, "").replace(/^m_[^_]+_/, "")).replace(/-/g, "_");
}

/** Meta-arguments first, as Terraform's style guide writes them. */
const META_FIRST = ["count", "for_each", "provider"];

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `[sample text, reference]` for every string/number leaf of a sample (`var.x`, `var.x.alert`, `var.x[0]`) and whole lists. */
function sampleReferences(name: string, sample: Json): { lists: [string, string][]; leaves: [string | number, string][] } {
  const lists: [string, string][] = [];
  const leaves: [string | number, string][] = [];
  const walk = (value: Json, ref: string) => {
    if (Array.isArray(value)) {
      if (value.length) lists.push([JSON.stringify(value), ref]);
      value.forEach((v, i) => walk(v, `${ref}[${i}]`));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, /^[A-Za-z_][\w]*$/.test(k) ? `${ref}.${k}` : `${ref}[${JSON.stringify(k)}]`);
    } else if (typeof value === "string" || typeof value === "number") {
      leaves.push([value, ref]);
    }
  };
  walk(sample, `var.${name}`);
  return { lists, leaves };
}

/** Replaces samples in every string (as interpolations) and every number leaf (as references). */
function substitute(value: Json, leaves: [string | number, string][]): Json {
  if (Array.isArray(value)) return value.map((v) => substitute(v, leaves));
  // Keys too (a tag key `kubernetes.io/cluster/<cluster name>`): HCL reads a quoted template as a key.
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, leaves.filter(([s]) => typeof s === "string")) as string, substitute(v, leaves)]));
  if (typeof value === "number") {
    const hit = leaves.find(([sample]) => sample === value);
    return hit ? `\${${hit[1]}}` : value;
  }
  if (typeof value !== "string") return value;
  let text = value;
  for (const [sample, ref] of leaves) {
    // Numbers only as whole words (never inside an id or a version); string samples are unique as they are.
    const escaped = String(sample).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(typeof sample === "number" ? `(?<![\\w.-])${escaped}(?![\\w.])` : escaped, "g");
    // A literal `$` right before the reference would read as the `$${` escape: write it as `${"$"}`.
    text = text.replace(pattern, (_m, offset: number, whole: string) => `${whole[offset - 1] === "$" ? '{"$"}' : ""}\${${ref}}`);
  }
  return text;
}

/** Synthesizes the construct with its samples and turns the JSON into the module's sections. */
export function synthesizeModule(definition: ModuleDefinition, region = "us-east-1"): { doc: ModuleDocument; versions: ModuleVersions; blocks: Record<string, BlockTree> } {
  const app = Testing.app({ enableFutureFlags: false });
  const stack = new TerraformStack(app, `module-${definition.name}`);
  new AwsProvider(stack, "aws", { region });
  const samples = Object.fromEntries(definition.variables.map((v) => [v.name, v.sample ?? null]));
  const scope = new Construct(stack, "m");
  const outputs = definition.build(scope, samples);
  for (const [name, o] of Object.entries(outputs)) {
    new TerraformOutput(stack, `out-${name}`, { value: o.value, description: o.description, sensitive: o.sensitive }).overrideLogicalId(name);
  }
  const raw = stack.toTerraform() as JsonObject;
  const blocks = blockTrees(stack);
  for (const [key, tree] of Object.entries(definition.blocks ?? {})) blocks[key] = { ...(blocks[key] ?? {}), ...tree };
  const terraform = raw.terraform as { required_providers: Record<string, { source: string; version: string }> };
  const versions: ModuleVersions = {
    requiredVersion: "",
    providers: Object.fromEntries(
      Object.entries(terraform.required_providers).map(([k, p]) => [k, { source: p.source.includes("/") ? p.source : `hashicorp/${p.source}`, version: p.version }]),
    ),
  };

  // Clean resource names: the construct path without the hash cdktf appends (`data-key_key` → `data_key_key`).
  const renames: [string, string][] = [];
  const rename = (kind: "resource" | "data", byType: JsonObject): Record<string, Record<string, JsonObject>> => {
    const out: Record<string, Record<string, JsonObject>> = {};
    for (const [type, byName] of Object.entries(byType)) {
      for (const [name, body] of Object.entries(byName as JsonObject)) {
        const clean = definition.renames?.[cleanName(name)] ?? cleanName(name);
        if (out[type]?.[clean]) throw new Error(`module ${definition.name}: two ${type} resources are named ${clean}`);
        const { provider, "//": _metadata, ...rest } = body as JsonObject;
        // A module takes its providers from the caller: only the default provider may be used inside.
        if (provider !== undefined && provider !== "aws") throw new Error(`module ${definition.name}: ${type}.${clean} uses provider ${String(provider)}`);
        (out[type] ??= {})[clean] = rest;
        const prefix = kind === "data" ? "data." : "";
        renames.push([`${prefix}${type}.${name}`, `${prefix}${type}.${clean}`]);
      }
    }
    return out;
  };
  const localsRaw = (raw.locals ?? {}) as JsonObject;
  const localNames = Object.fromEntries(Object.keys(localsRaw).map((k) => [k, cleanName(k)]));
  for (const [from, to] of Object.entries(localNames)) renames.push([`local.${from}`, `local.${to}`]);
  let doc: ModuleDocument = {
    variable: {},
    locals: Object.fromEntries(Object.entries(localsRaw).map(([k, v]) => [localNames[k], v])),
    data: rename("data", (raw.data ?? {}) as JsonObject),
    resource: rename("resource", (raw.resource ?? {}) as JsonObject),
    output: Object.fromEntries(Object.entries((raw.output ?? {}) as JsonObject).map(([k, v]) => [k, v as JsonObject])),
  };
  renames.sort((a, b) => b[0].length - a[0].length);
  let text = JSON.stringify(doc);
  for (const [from, to] of renames) text = text.split(from).join(to);
  doc = JSON.parse(text) as ModuleDocument;

  // Samples → variable references.
  const leaves: [string | number, string][] = [];
  let lists: [string, string][] = [];
  for (const v of definition.variables) {
    if (v.sample === undefined || v.sample === null) continue;
    const refs = sampleReferences(v.name, v.sample);
    leaves.push(...refs.leaves);
    lists.push(...refs.lists);
  }
  lists = lists.sort((a, b) => b[0].length - a[0].length);
  text = JSON.stringify(doc);
  for (const [sample, ref] of lists) text = text.split(sample).join(JSON.stringify(`\${${ref}}`));
  for (const [from, to] of definition.replacements ?? []) text = text.split(from).join(to);
  doc = substitute(JSON.parse(text) as Json, leaves.sort((a, b) => String(b[0]).length - String(a[0]).length)) as unknown as ModuleDocument;
  if (definition.postReplacements?.length) {
    text = JSON.stringify(doc);
    for (const [from, to] of definition.postReplacements) text = text.split(from).join(to);
    doc = JSON.parse(text) as ModuleDocument;
  }

  // The module's own locals are written as given: no sample or replacement applies to them.
  doc = { ...doc, locals: { ...(definition.locals ?? {}), ...doc.locals } };
  for (const o of definition.overrides ?? []) {
    const byName = (o.kind === "data" ? doc.data : doc.resource)[o.type];
    if (!byName) throw new Error(`module ${definition.name}: override of ${o.type}.${o.argument}: no ${o.type} in the module`);
    const targets = Object.entries(byName).filter(([n]) => !o.name || o.name.test(n));
    if (targets.length === 0) throw new Error(`module ${definition.name}: override ${o.type}.${o.name}.${o.argument} matches nothing`);
    for (const [, body] of targets) {
      if (o.value === undefined) delete body[o.argument];
      else body[o.argument] = o.value;
      const ordered = Object.entries(body).sort(([a], [b]) => Number(META_FIRST.includes(b)) - Number(META_FIRST.includes(a)));
      for (const key of Object.keys(body)) delete body[key];
      Object.assign(body, Object.fromEntries(ordered));
    }
  }

  definition.transform?.(doc);

  // No sample may be left.
  const final = JSON.stringify(doc);
  for (const [sample, ref] of leaves) {
    const at = final.indexOf(String(sample));
    if (typeof sample === "string" && at >= 0) throw new Error(`module ${definition.name}: sample "${sample}" of ${ref} is left in the output: …${final.slice(Math.max(0, at - 120), at + 60)}…`);
  }
  const leftover = /zqx[a-z0-9-]*/.exec(final);
  if (leftover) throw new Error(`module ${definition.name}: a sample is left in the output: …${final.slice(Math.max(0, leftover.index - 150), leftover.index + 50)}…`);
  doc.variable = Object.fromEntries(
    definition.variables.map((v) => [
      v.name,
      {
        type: v.type,
        description: v.description,
        ...(v.default !== undefined ? { default: v.default } : {}),
        ...(v.sensitive ? { sensitive: true } : {}),
        ...(v.validations?.length ? { validation: v.validations.map((r) => ({ condition: `\${${r.condition}}`, error_message: r.errorMessage })) } : {}),
      },
    ]),
  );
  return { doc, versions, blocks };
}

/** `main.tf`: locals, data sources and resources, as HCL. */
export function renderMain(doc: ModuleDocument, blocks: Record<string, BlockTree>): string {
  const parts: string[] = [];
  if (Object.keys(doc.locals).length) parts.push(hclBlock(["locals"], doc.locals, {}));
  for (const kind of ["data", "resource"] as const) {
    for (const [type, byName] of Object.entries(doc[kind])) {
      for (const [name, body] of Object.entries(byName)) parts.push(hclBlock([kind, type, name], body, blocks[`${kind}.${type}`] ?? {}, ATTRIBUTES_AS_BLOCKS[`${kind}.${type}`]));
    }
  }
  return parts.join("\n\n") + "\n";
}

export function renderVariables(doc: ModuleDocument): string {
  return Object.entries(doc.variable).map(([name, spec]) => hclBlock(["variable", name], variableSpec(spec), { validation: {} })).join("\n\n") + "\n";
}

export function renderOutputs(doc: ModuleDocument): string {
  return Object.entries(doc.output).map(([name, spec]) => hclBlock(["output", name], spec, {})).join("\n\n") + "\n";
}

export function renderVersions(versions: ModuleVersions): string {
  const lines = [`required_version = ${hclExpression(versions.requiredVersion)}`, hclBlock(["required_providers"], versions.providers as unknown as JsonObject, {})];
  return `terraform {\n${lines.map((l) => l.replace(/^/gm, "  ")).join("\n")}\n}\n`;
}
