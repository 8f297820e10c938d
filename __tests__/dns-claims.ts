import { TerraformJson } from "./helpers";

/** The external-dns annotation naming the records it publishes for an Ingress or Service. */
const HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";

/** One DNS name one owner claims: a Route 53 record of a stack, or an external-dns annotation applied by a stack. */
export interface DnsClaim {
  readonly name: string;
  /** `<stack>` for a record, `external-dns (<stack>)` for an annotation. */
  readonly owner: string;
  readonly what: string;
}

/**
 * Every DNS name the synthesized stacks claim: each `aws_route53_record` with a literal name (zone
 * delegations, NS, live in the parent zone and are left out; ACM validation records have computed
 * names), each name in an external-dns hostname annotation of a `kubernetes_manifest`, and the names
 * the service charts annotate for external-dns from an Argo CD Application's values: the Ingress's
 * `platform.ingress.host` (helm/library/aivo-service, `_network.tpl`) and an NLB Service's annotations.
 */
export function dnsClaims(docs: Readonly<Record<string, TerraformJson>>): DnsClaim[] {
  return Object.entries(docs).flatMap(([stack, doc]) => [
    ...Object.entries(doc.resource?.aws_route53_record ?? {})
      .filter(([, r]) => typeof r.name === "string" && !r.name.includes("${") && r.type !== "NS")
      .map(([id, r]) => ({ name: String(r.name).replace(/\.$/, ""), owner: stack, what: `aws_route53_record.${id} (${r.type})` })),
    ...Object.entries(doc.resource?.kubernetes_manifest ?? {}).flatMap(([id, r]) => {
      const platform = r.manifest?.kind === "Application" ? r.manifest.spec?.source?.helm?.valuesObject?.platform : undefined;
      const hostnames: string[] = [
        r.manifest?.metadata?.annotations?.[HOSTNAME_ANNOTATION],
        platform?.ingress?.host,
        platform?.networkLoadBalancer?.annotations?.[HOSTNAME_ANNOTATION],
      ].filter((h): h is string => typeof h === "string");
      return hostnames
        .flatMap((h) => h.split(","))
        .map((n) => n.trim())
        .filter(Boolean)
        .map((name) => ({ name, owner: `external-dns (${stack})`, what: `kubernetes_manifest.${id}` }));
    }),
  ]);
}

/** `<name>: <owner> (<what>) and <owner> (<what>)` for every name more than one owner claims. */
export function dnsConflicts(claims: readonly DnsClaim[]): string[] {
  const byName = new Map<string, DnsClaim[]>();
  for (const c of claims) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  return [...byName.entries()]
    .filter(([, list]) => new Set(list.map((c) => c.owner)).size > 1)
    .map(([name, list]) => `${name}: ${list.map((c) => `${c.owner} (${c.what})`).join(" and ")}`);
}
