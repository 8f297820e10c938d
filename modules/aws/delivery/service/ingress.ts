/**
 * The Ingress paths of a service, as the chart renders them (helm/library/aivo-service `aivo-service.ingress`):
 * kept here too so cdktf checks the origin health check's path before Argo CD renders it, and the
 * chart tests compare the rendered Ingress with these.
 */
import type { ServiceSpec } from "./spec";

/** `/api/auth/*` → `{ path: "/api/auth", pathType: "Prefix" }`; `/api/auth/login` → Exact. */
export function ingressPath(publicPath: string): { path: string; pathType: "Prefix" | "Exact" } {
  return publicPath.endsWith("/*") ? { path: publicPath.slice(0, -2), pathType: "Prefix" } : { path: publicPath, pathType: "Exact" };
}

/**
 * The Ingress paths of a service: its public paths, plus — for the service that answers the origin's
 * health check (`originHealthCheckPath`) — that path, Exact. It must be the service's readiness path:
 * the ALB forwards the path unchanged, so Route 53 then sees 200 only while a ready pod is behind the
 * ALB, and the ALB's 404 or 503 otherwise.
 */
export function ingressPaths(spec: Pick<ServiceSpec, "publicPaths" | "probes">, originHealthCheckPath?: string): { path: string; pathType: "Prefix" | "Exact" }[] {
  const paths = (spec.publicPaths ?? []).map(ingressPath);
  if (originHealthCheckPath === undefined) return paths;
  if (originHealthCheckPath !== spec.probes.readiness) {
    throw new Error(`the origin health check path "${originHealthCheckPath}" is not the readiness path "${spec.probes.readiness}" of the service that answers it`);
  }
  return [...paths, { path: originHealthCheckPath, pathType: "Exact" }];
}
