/** A fake environment for the service template, and the `platform` values its Application carries. */
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Naming } from "../modules/shared/naming";
import { ApplicationService, ServiceChart, ServiceEnvironment, ServicePeers } from "../modules/aws/delivery/service";
import { TerraformJson, parse } from "./helpers";

export const ACCOUNT_ID = "123456789012";

export function fakeEnvironment(environment: string, tier: string): ServiceEnvironment {
  const naming = new Naming("aivo", environment);
  return {
    naming,
    tier,
    region: "us-east-1",
    namespace: "aivo",
    oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`,
    oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
    imageKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/ecr`,
    secretsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/service-secrets`,
    dataStores: {
      postgres: {
        host: "db.internal",
        port: 5432,
        subnetCidrs: ["10.20.201.0/24", "10.20.202.0/24"],
        masterSecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:rds!db-1-AbCdEf`,
        masterSecretKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/rds-master`,
      },
      redis: { host: "cache.internal", port: 6379, subnetCidrs: ["10.20.201.0/24", "10.20.202.0/24"], authTokenSecret: `aivo/${environment}/elasticache/auth-token` },
    },
    secretStoreName: "aws-secrets-manager",
    prometheus: {
      namespace: "monitoring",
      url: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      podLabels: { "app.kubernetes.io/name": "prometheus" },
      serviceMonitorLabels: { release: "kube-prometheus-stack" },
    },
    ingress: {
      groupName: `aivo-${environment}`,
      host: `origin.${environment}.aivo.edu`,
      certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/origin`,
      securityGroup: "sg-0123456789abcdef0",
      sourceCidrs: ["10.20.101.0/24", "10.20.102.0/24"],
      deletionProtection: tier === "production",
    },
    nodes: { label: "node-type", taintKey: "workload-type" },
    gitops: { argoNamespace: "argocd", source: { repoUrl: "git@github.com:aivo-platform/aivo-infrastructure.git", targetRevision: "main" } },
    labels: { environment },
  };
}

/** Synthesizes one ApplicationService in a small stack. */
export function synthService(chart: ServiceChart, env: ServiceEnvironment, peers?: ServicePeers, originHealthCheckPath?: string): TerraformJson {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new KubernetesProvider(scope, "kubernetes", {});
      new ApplicationService(scope, chart.spec.name, { chart, environment: env, peers, originHealthCheckPath });
    }),
  );
}

/** `${aws_iam_role.<id>.arn}` → what the role's ARN will be, from the role's synthesized name. */
export function resolveTokens(value: unknown, doc: TerraformJson): unknown {
  const roles = doc.resource?.aws_iam_role ?? {};
  const ecr = doc.resource?.aws_ecr_repository ?? {};
  const replace = (s: string) =>
    s
      .replace(/\$\{aws_iam_role\.([^.]+)\.arn\}/g, (_, id: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${roles[id].name}`)
      .replace(/\$\{aws_ecr_repository\.([^.]+)\.repository_url\}/g, (_, id: string) => `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/${ecr[id].name}`);
  if (typeof value === "string") return replace(value);
  if (Array.isArray(value)) return value.map((v) => resolveTokens(v, doc));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTokens(v, doc)]));
  return value;
}

/** The synthesized Application's manifest. */
export function applicationOf(doc: TerraformJson): Record<string, any> {
  const manifests = Object.values(doc.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);
  const app = manifests.find((m) => m.kind === "Application");
  if (!app) throw new Error("no Application synthesized");
  return app;
}
