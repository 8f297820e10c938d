import type { ServiceSpec } from "../../modules/aws/delivery/service";

/**
 * auth-svc: sign-in, sessions and tokens for the platform's users. The template's reference service
 * (the infrastructure document's `helm/services/auth-svc`): copy this file to add a service.
 */
export const authSvc: ServiceSpec = {
  name: "auth-svc",
  description: "authentication: sign-in, sessions and tokens",
  port: 8080,
  probes: { liveness: "/healthz/live", readiness: "/healthz/ready", startup: "/healthz/live" },
  placement: "general",
  // Its own database user (aivo/<env>/auth-svc/database) and the session cache.
  dataStores: [{ kind: "postgres", credentials: "service-user" }, { kind: "redis" }],
  publicPaths: ["/api/auth/*"],
  metrics: { path: "/metrics" },
  // Recommendations only (updateMode Off): they inform the tiers' requests; the HPA scales on CPU.
  verticalPodAutoscaler: true,
  tiers: {
    development: {
      minReplicas: 1,
      maxReplicas: 3,
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { memory: "256Mi" },
    },
    staging: {
      minReplicas: 2,
      maxReplicas: 6,
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { memory: "512Mi" },
    },
    production: {
      minReplicas: 3,
      maxReplicas: 20,
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "2", memory: "1Gi" },
    },
  },
};
