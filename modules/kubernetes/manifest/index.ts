import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

/**
 * A typed Kubernetes object: an instance of a `kubernetes-models` / `@kubernetes-models/*` class, whose
 * `validate()` checks it against the upstream JSON schema.
 *
 * Import the classes by file (`kubernetes-models/v1/Namespace`); the packages are ES modules that the
 * project loads through Node's `require(esm)` with the `import` condition (see README, "Kubernetes
 * objects").
 */
export interface TypedKubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  validate(): void;
  toJSON(): unknown;
}

/** The field manager `kubernetes_manifest` applies with (server-side apply). */
export const FIELD_MANAGER = "aivo-cdktf";

/**
 * Fields the API server or a controller may change after apply, so Terraform does not report them
 * as drift: the provider's defaults (annotations, labels).
 */
export const DEFAULT_COMPUTED_FIELDS: readonly string[] = ["metadata.annotations", "metadata.labels"];

/** `Kind namespace/name` (or `Kind name`), how messages and resource ids name an object. */
export function describeObject(object: Pick<TypedKubernetesObject, "kind" | "metadata">): string {
  const name = object.metadata?.name ?? "<unnamed>";
  return object.metadata?.namespace ? `${object.kind} ${object.metadata.namespace}/${name}` : `${object.kind} ${name}`;
}

interface SchemaError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/**
 * Runs the object's schema validation; a failure becomes one line naming the object and the first
 * failing field: `<where>: ClusterIssuer letsencrypt: spec.acme.server must be string`.
 */
export function validateObject(where: string, object: TypedKubernetesObject): void {
  try {
    object.validate();
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors ?? [];
    const first = errors[0];
    const field = first?.instancePath ? first.instancePath.replace(/^\//, "").split("/").join(".") : "";
    const extra = first?.params && "additionalProperty" in first.params ? ` (${String(first.params.additionalProperty)})` : "";
    const detail = first ? `${field || "(object)"} ${first.message ?? "is invalid"}${extra}` : (error as Error).message;
    throw new Error(`${where}: ${describeObject(object)}: ${detail}`, { cause: error });
  }
}

export interface KubernetesManifestProps {
  /** Where the object comes from in the configuration, e.g. `production.kubernetes.karpenter`; prefixes errors. */
  readonly where: string;
  /** The object, built with a `kubernetes-models` class. Must have `metadata.name`. */
  readonly object: TypedKubernetesObject;
  /**
   * Fields the server may change after apply (dotted paths, e.g. `spec.template.metadata.annotations`).
   * @default DEFAULT_COMPUTED_FIELDS
   */
  readonly computedFields?: readonly string[];
  /** Resources that must exist first (the CRD's Helm release, a namespace). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** The kubernetes provider. @default the stack's default kubernetes provider */
  readonly provider?: KubernetesProvider;
}

/**
 * One Kubernetes object as a `kubernetes_manifest` resource, validated against its upstream schema at
 * construct time. Server-side apply with the field manager `aivo-cdktf`, taking over fields another
 * manager set (`force_conflicts`): Terraform is the owner of what it declares.
 *
 * `kubernetes_manifest` reads the CRD's schema at plan time, so a custom resource belongs in a stack
 * applied after the stack that installs its CRD (the `<env>-workloads` stack).
 */
export class KubernetesManifest extends Construct {
  /** The `kubernetes_manifest` resource (escape hatch). */
  readonly resource: Manifest;
  /** The object's plain JSON, as written into the manifest. */
  readonly manifest: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: KubernetesManifestProps) {
    super(scope, id);
    const { object, where } = props;
    if (!object.metadata?.name) throw new Error(`${where}: ${object.kind}: metadata.name is required`);
    validateObject(where, object);
    // toJSON drops undefined fields; a round trip leaves plain data only.
    this.manifest = JSON.parse(JSON.stringify(object.toJSON())) as Record<string, unknown>;
    this.resource = new Manifest(this, "manifest", {
      provider: props.provider,
      manifest: this.manifest,
      computedFields: [...(props.computedFields ?? DEFAULT_COMPUTED_FIELDS)],
      fieldManager: { name: FIELD_MANAGER, forceConflicts: true },
      dependsOn: props.dependsOn,
    });
  }
}
