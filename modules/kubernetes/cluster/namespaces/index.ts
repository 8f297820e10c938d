import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { validateObject } from "../../manifest";
import { NAMESPACES, NamespaceSpec, POD_SECURITY_LABEL_PREFIX, PlatformNamespace } from "../../platform";

/** Annotation carrying the reason for a namespace's pod security level. */
export const POD_SECURITY_REASON_ANNOTATION = "aivo.edu/pod-security-reason";

/** The Pod Security Admission labels of a namespace: `enforce` at its level, `audit` and `warn` at `restricted`. */
export function podSecurityLabels(spec: NamespaceSpec): Record<string, string> {
  return {
    [`${POD_SECURITY_LABEL_PREFIX}/enforce`]: spec.podSecurity,
    [`${POD_SECURITY_LABEL_PREFIX}/enforce-version`]: "latest",
    [`${POD_SECURITY_LABEL_PREFIX}/audit`]: "restricted",
    [`${POD_SECURITY_LABEL_PREFIX}/audit-version`]: "latest",
    [`${POD_SECURITY_LABEL_PREFIX}/warn`]: "restricted",
    [`${POD_SECURITY_LABEL_PREFIX}/warn-version`]: "latest",
  };
}

export interface PlatformNamespacesProps {
  /** Prefixes validation messages, e.g. `development.kubernetes.namespaces`. */
  readonly where: string;
  /** The namespaces to create. @default NAMESPACES (all of them) */
  readonly namespaces?: Readonly<Record<string, NamespaceSpec>>;
  /** Labels every namespace carries besides the pod security ones (e.g. `environment`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The kubernetes provider. @default the stack's default kubernetes provider */
  readonly provider?: KubernetesProvider;
}

/**
 * The platform's namespaces (`kubernetes_namespace_v1`), each labelled for Pod Security Admission
 * and annotated with the reason for its level. Helm releases install into them and depend on them.
 */
export class PlatformNamespaces extends Construct {
  /** Each namespace resource, keyed like `NAMESPACES` (escape hatch; use as `dependsOn`). */
  readonly resources: Record<string, NamespaceV1>;
  /** Each namespace's name, keyed like `NAMESPACES`. */
  readonly names: Record<string, string>;

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps) {
    super(scope, id);
    const specs = props.namespaces ?? NAMESPACES;
    this.resources = {};
    this.names = {};
    for (const [key, spec] of Object.entries(specs)) {
      const labels = { ...(props.labels ?? {}), ...podSecurityLabels(spec) };
      const annotations = { [POD_SECURITY_REASON_ANNOTATION]: spec.reason };
      validateObject(`${props.where}.${key}`, new Namespace({ metadata: { name: spec.name, labels, annotations } }));
      this.resources[key] = new NamespaceV1(this, key, {
        provider: props.provider,
        metadata: { name: spec.name, labels, annotations },
        waitForDefaultServiceAccount: true,
      });
      this.names[key] = spec.name;
    }
  }

  /** The resource of one of the platform's namespaces. */
  of(key: PlatformNamespace): NamespaceV1 {
    const found = this.resources[key];
    if (!found) throw new Error(`namespace "${key}" was not created by this PlatformNamespaces`);
    return found;
  }
}
