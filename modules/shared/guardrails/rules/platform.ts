import { Rule, isTrue } from "../engine";

/** Backend types whose state is encrypted and locked by the service itself. */
const MANAGED_BACKENDS: readonly string[] = ["remote", "cloud"];

/** Names of Helm values that hold credentials. */
export const SECRET_VALUE_NAME = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credentials?)$/i;

/** Names that point at a secret rather than hold one (`existingSecret: redis-auth`). */
const SECRET_REFERENCE_NAME = /^(existing|use|create)/i;

const holdsSecret = (name: string) => SECRET_VALUE_NAME.test(name) && !SECRET_REFERENCE_NAME.test(name.split(".").pop() ?? name);

/** Keys of a parsed values object, at any depth, that name a secret and hold a literal string. */
function literalSecretsInObject(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => literalSecretsInObject(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === "string" && holdsSecret(key) && v !== "" && !v.includes("${")) found.push(key);
      else literalSecretsInObject(v, found);
    }
  }
  return found;
}

/**
 * Keys of a values document (YAML, or JSON as `JSON.stringify` writes it) that name a secret and
 * hold a literal.
 */
function literalSecretsInYaml(text: string): string[] {
  if (text.trim().startsWith("{")) {
    try {
      return literalSecretsInObject(JSON.parse(text));
    } catch {
      // not JSON after all: read it line by line as YAML
    }
  }
  const found: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*-?\s*["']?([\w.-]+)["']?\s*:\s*(.+?)\s*$/.exec(line);
    if (!m || !holdsSecret(m[1])) continue;
    const value = m[2].replace(/^["']|["']$/g, "");
    if (value === "" || value === "~" || value === "null" || value === "|" || value === ">" || value.startsWith("${") || value.startsWith("{") || value.startsWith("[")) continue;
    found.push(m[1]);
  }
  return found;
}

/** State handling and what leaves the configuration for the cluster. */
export const PLATFORM_RULES: readonly Rule[] = [
  {
    id: "AIVO-BACKEND-ENCRYPTED-LOCKED",
    severity: "error",
    message: "Terraform state lives in an encrypted, locked remote backend",
    fix: "use S3Backend with encrypt = true, kms_key_id and dynamodb_table or use_lockfile (stateBackendConfig in environments/state.ts)",
    evaluate: (doc) => {
      const backends = (doc.raw.terraform?.backend ?? {}) as Record<string, Record<string, unknown>>;
      const [type, config] = Object.entries(backends)[0] ?? ["local", {}];
      if (MANAGED_BACKENDS.includes(type)) return [];
      const problems: string[] = [];
      if (type !== "s3") problems.push(`${type} backend`);
      else {
        if (!isTrue(config.encrypt)) problems.push("encrypt off");
        if (!config.dynamodb_table && !isTrue(config.use_lockfile)) problems.push("no lock (dynamodb_table or use_lockfile)");
      }
      return problems.length ? [{ address: `terraform.backend.${type}`, detail: problems.join("; ") }] : [];
    },
  },
  {
    id: "AIVO-HELM-NO-SECRETS",
    severity: "error",
    message: "Helm releases carry no literal secrets in values or set (they would sit in state and in the plan)",
    fix: "reference a Kubernetes Secret / External Secrets object from the chart, or pass the value from a data source with set_sensitive",
    evaluate: (doc) =>
      doc.resources("helm_release").flatMap((r) => {
        const names: string[] = [];
        for (const values of [r.config.values ?? []].flat()) if (typeof values === "string") names.push(...literalSecretsInYaml(values));
        for (const s of [r.config.set ?? []].flat() as Record<string, unknown>[]) {
          const name = String(s.name ?? "");
          const value = String(s.value ?? "");
          if (holdsSecret(name) && value !== "" && !value.includes("${")) names.push(name);
        }
        return names.length ? [{ address: r.address, constructPath: r.constructPath, detail: `literal secret in ${names.join(", ")}` }] : [];
      }),
  },
  {
    id: "AIVO-K8S-SECRET-LITERAL",
    severity: "warning",
    message: "Kubernetes Secrets get their values from a reference (Secrets Manager, a generated password), not from literals in the configuration",
    fix: "use an ExternalSecret (External Secrets Operator) or a value from a data source / random_password instead of a literal",
    evaluate: (doc) =>
      doc.resourcesOf(["kubernetes_secret", "kubernetes_secret_v1"]).flatMap((r) => {
        const literal = Object.entries({ ...(r.config.data ?? {}), ...(r.config.binary_data ?? {}) })
          .filter(([, value]) => typeof value === "string" && value !== "" && !value.includes("${"))
          .map(([key]) => key);
        return literal.length ? [{ address: r.address, constructPath: r.constructPath, detail: `literal value for ${literal.join(", ")}` }] : [];
      }),
  },
];
