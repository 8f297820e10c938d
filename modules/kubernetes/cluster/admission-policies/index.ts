import { Construct } from "constructs";
import { ValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { KubernetesManifest } from "../../manifest";
import { NAMESPACES } from "../../platform";
import { NAMESPACE_NAME_LABEL } from "../network-policies";

/** Every container of a pod, init containers included (CEL). */
const ALL_CONTAINERS = "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])";

/** The rules, by policy name: a CEL expression over a Pod and the message when it is false. */
export const WORKLOAD_RULES = {
  "aivo-require-requests-limits": {
    expression: `(${ALL_CONTAINERS}).all(c, has(c.resources) && has(c.resources.requests) && has(c.resources.limits) && 'cpu' in c.resources.requests && 'memory' in c.resources.requests && 'memory' in c.resources.limits)`,
    message: "every container needs CPU and memory requests and a memory limit",
  },
  "aivo-disallow-latest-tag": {
    expression: `(${ALL_CONTAINERS}).all(c, c.image.matches('^.+(:[^/:@]+|@sha256:[a-f0-9]{64})$') && !c.image.endsWith(':latest'))`,
    message: "images need a pinned tag or digest; ':latest' and untagged images are not allowed",
  },
} as const;

export interface WorkloadAdmissionPoliciesProps {
  /** Config path, e.g. `production.kubernetes.admissionPolicies`. */
  readonly where: string;
  /** `Enforce` rejects a violating pod; `Audit` warns and records it in the audit log. */
  readonly action: "Audit" | "Enforce";
  /** The namespace the rules apply to. @default "aivo" */
  readonly namespace?: string;
}

/**
 * The workload rules of `aivo` as native ValidatingAdmissionPolicies (CEL, built into the API server,
 * no CRD and no webhook): resource requests and limits on every container, and no `:latest` or
 * untagged image. `Enforce` → `Deny`; `Audit` → `Warn` + `Audit`.
 */
export class WorkloadAdmissionPolicies extends Construct {
  readonly manifests: KubernetesManifest[] = [];

  constructor(scope: Construct, id: string, props: WorkloadAdmissionPoliciesProps) {
    super(scope, id);
    const namespace = props.namespace ?? NAMESPACES.aivo.name;
    const validationActions: ("Deny" | "Warn" | "Audit")[] = props.action === "Enforce" ? ["Deny"] : ["Warn", "Audit"];
    for (const [name, rule] of Object.entries(WORKLOAD_RULES)) {
      const policy = new KubernetesManifest(this, name, {
        where: `${props.where}.${name}`,
        object: new ValidatingAdmissionPolicy({
          metadata: { name },
          spec: {
            failurePolicy: "Fail",
            matchConstraints: {
              resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
            },
            validations: [{ expression: rule.expression, message: rule.message }],
          },
        }),
      });
      const binding = new KubernetesManifest(this, `${name}-binding`, {
        where: `${props.where}.${name}`,
        object: new ValidatingAdmissionPolicyBinding({
          metadata: { name },
          spec: {
            policyName: name,
            validationActions,
            matchResources: { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } },
          },
        }),
        dependsOn: [policy.resource],
      });
      this.manifests.push(policy, binding);
    }
  }
}
