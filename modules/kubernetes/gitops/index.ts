/**
 * Argo CD's configuration that cdktf owns (the GitOps bridge): the AppProject the services deploy
 * through, the repository credentials (an ExternalSecret from Secrets Manager), and one Application
 * per service, carrying the environment's infrastructure as Helm values (`platform`). Built with the
 * `@kubernetes-models/argo-cd` and `external-secrets` classes (their `validate()` is the CRD schema).
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { ARGOCD_OIDC_SECRET, ARGOCD_PART_OF_LABEL } from "../addons/argo-cd";

/** The in-cluster API server, as Argo CD names its own cluster. */
export const IN_CLUSTER = "https://kubernetes.default.svc";
/** The AppProject every service Application belongs to. */
export const SERVICES_PROJECT = "aivo-services";
/** Argo CD's label marking a Secret as repository credentials. */
export const REPOSITORY_SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";
/** Argo CD deletes an Application's objects before the Application itself (teardown, removal). */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

/**
 * The kinds a service chart may create in its namespace (the AppProject's whitelist): what
 * helm/library/aivo-service renders. A chart that renders anything else fails to sync.
 */
export const SERVICE_RESOURCE_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
  { group: "", kind: "ServiceAccount" },
  { group: "", kind: "Service" },
  { group: "", kind: "ConfigMap" },
  { group: "apps", kind: "Deployment" },
  { group: "argoproj.io", kind: "Rollout" },
  { group: "argoproj.io", kind: "AnalysisTemplate" },
  { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
  { group: "autoscaling.k8s.io", kind: "VerticalPodAutoscaler" },
  { group: "policy", kind: "PodDisruptionBudget" },
  { group: "networking.k8s.io", kind: "NetworkPolicy" },
  { group: "networking.k8s.io", kind: "Ingress" },
  { group: "batch", kind: "Job" },
  { group: "external-secrets.io", kind: "ExternalSecret" },
  { group: "external-secrets.io", kind: "SecretStore" },
  { group: "external-secrets.io", kind: "PushSecret" },
  { group: "generators.external-secrets.io", kind: "Password" },
  { group: "monitoring.coreos.com", kind: "ServiceMonitor" },
];

/** Where the service charts come from: the repository and the revision every environment tracks. */
export interface GitOpsSource {
  /** The repository Argo CD clones, `git@github.com:<owner>/<repo>.git` (a deploy key) . */
  readonly repoUrl: string;
  /** The branch every environment tracks; promotion between environments is a change of values files on it. */
  readonly targetRevision: string;
}

/** `git@github.com:<owner>/<repo>.git` of a GitHub `<owner>/<repo>`. */
export function githubSshUrl(repository: string): string {
  return `git@github.com:${repository}.git`;
}

/** The AppProject: the repository, the services' namespace, the service kinds, no cluster-scoped objects. */
export function servicesProject(args: { argoNamespace: string; namespace: string; source: GitOpsSource }): AppProject {
  return new AppProject({
    metadata: { name: SERVICES_PROJECT, namespace: args.argoNamespace },
    spec: {
      description: "The platform's application services (helm/services/*), one Application per service",
      sourceRepos: [args.source.repoUrl],
      destinations: [{ server: IN_CLUSTER, namespace: args.namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: SERVICE_RESOURCE_KINDS.map((k) => ({ group: k.group, kind: k.kind })),
    },
  });
}

/**
 * An ExternalSecret writing a Secret Argo CD reads (label `app.kubernetes.io/part-of: argocd`), from
 * one Secrets Manager secret whose value an operator puts (never Terraform): the repository's deploy
 * key (`sshPrivateKey`) with `type`/`url`, or the OIDC client secret.
 */
export function argoCdSecret(args: {
  name: string;
  argoNamespace: string;
  secretStoreName: string;
  remoteKey: string;
  properties: readonly string[];
  labels?: Readonly<Record<string, string>>;
  plain?: Readonly<Record<string, string>>;
}): ExternalSecret {
  return new ExternalSecret({
    metadata: { name: args.name, namespace: args.argoNamespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: args.secretStoreName },
      target: {
        name: args.name,
        creationPolicy: "Owner",
        template: {
          engineVersion: "v2",
          metadata: { labels: { ...ARGOCD_PART_OF_LABEL, ...(args.labels ?? {}) } },
          data: {
            ...(args.plain ?? {}),
            ...Object.fromEntries(args.properties.map((p) => [p, `{{ .${p} }}`])),
          },
        },
      },
      data: args.properties.map((property) => ({ secretKey: property, remoteRef: { key: args.remoteKey, property } })),
    },
  });
}

/** The repository credentials Secret (deploy key) Argo CD clones the charts with. */
export function repositorySecret(args: { argoNamespace: string; secretStoreName: string; remoteKey: string; source: GitOpsSource }): ExternalSecret {
  return argoCdSecret({
    name: "aivo-repository",
    argoNamespace: args.argoNamespace,
    secretStoreName: args.secretStoreName,
    remoteKey: args.remoteKey,
    properties: ["sshPrivateKey"],
    labels: { [REPOSITORY_SECRET_TYPE_LABEL]: "repository" },
    plain: { type: "git", url: args.source.repoUrl },
  });
}

/** The OIDC client secret `oidc.config` references as `$argocd-oidc:clientSecret`. */
export function oidcSecret(args: { argoNamespace: string; secretStoreName: string; remoteKey: string }): ExternalSecret {
  return argoCdSecret({ name: ARGOCD_OIDC_SECRET, argoNamespace: args.argoNamespace, secretStoreName: args.secretStoreName, remoteKey: args.remoteKey, properties: ["clientSecret"] });
}

export interface ServiceApplicationArgs {
  /** The service (the Application's and the Helm release's name). */
  readonly name: string;
  /** Argo CD's namespace. */
  readonly argoNamespace: string;
  /** The namespace the service runs in. */
  readonly namespace: string;
  /** The repository and revision. */
  readonly source: GitOpsSource;
  /** The chart's path in the repository, e.g. `helm/services/auth-svc`. */
  readonly chartPath: string;
  /** The environment's values file in the chart, e.g. `values-dev.yaml`. */
  readonly valuesFile: string;
  /** The environment's infrastructure, the chart's `platform` values. */
  readonly platform: Record<string, unknown>;
  /** Labels of the Application (e.g. `environment`). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One service in one environment: Argo CD renders `chartPath` with `valuesFile` and the `platform`
 * values, syncs automatically (prune, self-heal), retries a failed sync twice, and ignores the fields
 * Argo Rollouts writes at run time (the Ingress's weighted action, the Services' pod-hash selector).
 * Its health is the service's: Progressing while a Rollout or Deployment rolls, Degraded when one
 * fails; a failed PreSync or PostSync hook fails the sync.
 */
export function serviceApplication(args: ServiceApplicationArgs): Application {
  return new Application({
    metadata: {
      name: args.name,
      namespace: args.argoNamespace,
      labels: { ...args.labels, "app.kubernetes.io/name": args.name },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: SERVICES_PROJECT,
      source: {
        repoURL: args.source.repoUrl,
        targetRevision: args.source.targetRevision,
        path: args.chartPath,
        helm: { releaseName: args.name, valueFiles: [args.valuesFile], valuesObject: { platform: args.platform } },
      },
      destination: { server: IN_CLUSTER, namespace: args.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["RespectIgnoreDifferences=true", "PruneLast=true"],
        retry: { limit: 2, backoff: { duration: "30s", factor: 2, maxDuration: "5m" } },
      },
      ignoreDifferences: [
        { group: "networking.k8s.io", kind: "Ingress", jqPathExpressions: [`.metadata.annotations["alb.ingress.kubernetes.io/actions.${args.name}"]`, '.metadata.annotations["rollouts.argoproj.io/managed-alb-actions"]'] },
        { group: "", kind: "Service", jqPathExpressions: ['.spec.selector["rollouts-pod-template-hash"]'] },
      ],
      revisionHistoryLimit: 10,
    },
  });
}
