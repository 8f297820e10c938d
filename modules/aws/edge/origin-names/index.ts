/**
 * Who owns each origin name, in one place (the service Ingress, the certificates, the DR stack and
 * external-dns all read it):
 * - without DR, `edge.originDomain` (`origin.dev.aivo.edu`) is the ALB's own record, published by
 *   external-dns from the services' Ingress;
 * - with DR, `edge.originDomain` (`origin.aivo.edu`) is the failover pair of `<env>-dr` (Route 53
 *   refuses a CNAME beside any other record of the name), and the primary ALB publishes its regional
 *   name `dr.traffic.primaryTarget` (`origin-us-east-1.aivo.edu`), which the failover pair and its
 *   health check point at. The DR region's name (`secondaryTarget`) is published by the DR cluster's
 *   external-dns once services run there (failover runbook).
 * The ALB answers to every name that reaches it (CloudFront sends Host = `originDomain`, the health
 * check the regional name), so its certificate covers all of them.
 */
export interface OriginNames {
  /** The name CloudFront connects to (`edge.originDomain`). */
  readonly origin: string;
  /** The name external-dns publishes for this region's ALB (the Ingress' hostname annotation). */
  readonly published: string;
  /** The names the ALB answers to (Ingress host rules), `published` first. */
  readonly served: readonly string[];
  /** The names the region's origin certificate covers (`origin` first, its SANs after). */
  readonly certificate: readonly string[];
  /**
   * With DR, the names the DR region's origin certificate covers (`origin` and `secondaryTarget`: the DR
   * ALB answers CloudFront's `origin` after failover); `origin`'s validation record is the primary's
   * (ACM gives a name the same validation CNAME in every region of the account). @default none
   */
  readonly failoverCertificate?: readonly string[];
  /** The stack that owns `origin`'s record: `"external-dns"` (the Ingress) or `"failover"` (the DR stack's pair). */
  readonly originOwner: "external-dns" | "failover";
}

/** The origin names of an environment from its `edge` and, when it has DR, its `dr.traffic`. */
export function originNames(edge: { readonly originDomain: string }, failover?: { readonly primaryTarget: string; readonly secondaryTarget: string }): OriginNames {
  const origin = edge.originDomain;
  if (!failover) return { origin, published: origin, served: [origin], certificate: [origin], originOwner: "external-dns" };
  const regional = failover.primaryTarget;
  return {
    origin,
    published: regional,
    served: [regional, origin],
    certificate: [origin, regional],
    failoverCertificate: [origin, failover.secondaryTarget],
    originOwner: "failover",
  };
}

export { OriginCertificate } from "./certificate";
export type { OriginCertificateProps } from "./certificate";
