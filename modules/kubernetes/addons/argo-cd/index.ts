import { Construct } from "constructs";
import { HelmAddOn, HelmValues, assertReplicas } from "../../helm-addon";
import type { HelmChart } from "../../platform";
import { CONTROLLER_NODE_SELECTOR } from "../../platform";
import type { ITerraformDependable } from "cdktf";

/**
 * The Kubernetes Secret Argo CD reads its OIDC client secret from (`$<secret>:clientSecret` in
 * `oidc.config`), written by an ExternalSecret of `<env>-services` from `aivo/<env>/argocd/oidc`.
 */
export const ARGOCD_OIDC_SECRET = "argocd-oidc";
/** The label Argo CD finds repository credentials (and secrets its config references) by. */
export const ARGOCD_PART_OF_LABEL = { "app.kubernetes.io/part-of": "argocd" } as const;

/** Single sign-on through an OIDC provider (Auth0, Okta, Entra ID…): Argo CD's `oidc.config`. */
export interface ArgoCdSso {
  /** The provider's display name on the login page, e.g. `Auth0`. */
  readonly name: string;
  /** The issuer URL, e.g. `https://aivo.us.auth0.com/`. */
  readonly issuer: string;
  /** The OIDC client id (not a secret). The client secret is in Secrets Manager, `aivo/<env>/argocd/oidc` (`clientSecret`). */
  readonly clientId: string;
  /** The group claim value whose members administer Argo CD (`role:admin`); everyone else reads. */
  readonly adminGroup: string;
}

export interface ArgoCdProps {
  /** Config path, e.g. `production.kubernetes.argoCd`; prefixes validation messages. */
  readonly where: string;
  /** The chart (its `HELM_CHARTS` entry). */
  readonly chart: HelmChart;
  /** The URL users reach Argo CD at (SSO redirects), e.g. `https://argocd.dev.aivo.edu`. */
  readonly url: string;
  /** Replicas of the API server and repo server. @default 2 */
  readonly replicas?: number;
  /** OIDC single sign-on; without it only the local `admin` user (initial password in `argocd-initial-admin-secret`) logs in. @default none */
  readonly sso?: ArgoCdSso;
  /**
   * The AppProject whose Applications the release alerts watch (the services'). With it, the
   * controller's metrics are scraped (a ServiceMonitor; the prometheus-operator CRDs must be installed
   * first) and `serviceReleaseAlerts` fire on a failed or degraded release. @default none: no metrics
   */
  readonly alertOnProject?: string;
  /** Values merged over the defaults. @default {} */
  readonly values?: HelmValues;
  /** Releases installed first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A Prometheus alerting rule, as the chart's `controller.metrics.rules.spec` takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: string };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/**
 * How a failed release shows up where people look (Alertmanager → Slack, e-mail; severities of
 * modules/aws/observability/alerting): a sync that failed (a PreSync migration, a PostSync smoke test,
 * a render error), an Application Degraded (an aborted canary, pods failing their probes), a release
 * stuck progressing.
 */
export function serviceReleaseAlerts(project: string): AlertRule[] {
  const guide = "docs/shipping-a-service.md";
  return [
    {
      alert: "AivoServiceSyncFailed",
      expr: `sum by (name) (increase(argocd_app_sync_total{project="${project}",phase=~"Error|Failed"}[15m])) > 0`,
      for: "0m",
      labels: { severity: "alert" },
      annotations: {
        summary: "{{ $labels.name }}: the release failed to sync",
        description: `Argo CD could not sync {{ $labels.name }}: a failed migration or smoke test hook, or a chart that does not render. The previous version keeps serving. argocd app get {{ $labels.name }}; ${guide}, "How an automatic rollback looks".`,
      },
    },
    {
      alert: "AivoServiceDegraded",
      expr: `max by (name) (argocd_app_info{project="${project}",health_status="Degraded"}) == 1`,
      for: "2m",
      labels: { severity: "alert" },
      annotations: {
        summary: "{{ $labels.name }} is Degraded",
        description: `{{ $labels.name }}'s Rollout or Deployment is Degraded: a canary aborted by its analysis, or pods failing. kubectl argo rollouts get rollout {{ $labels.name }} -n aivo; ${guide}, "Manual rollback and hotfix".`,
      },
    },
    {
      alert: "AivoServiceReleaseStuck",
      expr: `max by (name) (argocd_app_info{project="${project}",health_status="Progressing"}) == 1`,
      for: "45m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.name }} has been progressing for 45 minutes",
        description: `A release of {{ $labels.name }} neither finished nor failed: a canary paused on an inconclusive analysis, or pods that never become ready. ${guide}, "Watching a canary".`,
      },
    },
  ];
}

/**
 * Argo CD (argoproj/argo-helm `argo-cd`), the GitOps side of the platform: it renders each service's
 * chart (`helm/services/<name>`) with the environment's values file and owns the objects; cdktf
 * only writes its Applications (`<env>-services`). All components on the controllers' nodes, in the
 * restricted `argocd` namespace (the chart's security contexts are non-root, read-only, all
 * capabilities dropped, RuntimeDefault seccomp); Dex and notifications off; SSO through `oidc.config`
 * when `sso` is given, the local admin otherwise.
 */
export class ArgoCd extends Construct {
  readonly addOn: HelmAddOn;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    assertReplicas(props.where, replicas);
    const sso = props.sso;
    if (sso && !/^https:\/\//.test(sso.issuer)) throw new Error(`${props.where}.sso.issuer: "${sso.issuer}" is not an https:// issuer URL`);
    const ha = { replicas, pdb: { enabled: replicas > 1, minAvailable: 1 } };
    // `kubernetes.io/os` is on every node; the capacity check matches the controller selector.
    const nodeSelector = { ...CONTROLLER_NODE_SELECTOR };
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
      // Dex, notifications and the ApplicationSet controller are off; Redis is the chart's single pod.
      pods: [
        { name: "application-controller", replicas: 1, nodeSelector },
        { name: "server", replicas, nodeSelector },
        { name: "repo-server", replicas, nodeSelector },
        { name: "redis", replicas: 1, nodeSelector },
        // The pre-install hook Job that writes Redis' password.
        { name: "redis-secret-init", replicas: 1, nodeSelector },
      ],
      defaultValues: {
        crds: { install: true, keep: true },
        global: { domain: props.url.replace(/^https:\/\//, ""), nodeSelector: { "kubernetes.io/os": "linux", ...CONTROLLER_NODE_SELECTOR } },
        configs: {
          cm: {
            url: props.url,
            "admin.enabled": sso === undefined,
            "exec.enabled": false,
            ...(sso
              ? {
                  "oidc.config": [
                    `name: ${sso.name}`,
                    `issuer: ${sso.issuer}`,
                    `clientID: ${sso.clientId}`,
                    `clientSecret: $${ARGOCD_OIDC_SECRET}:clientSecret`,
                    "requestedScopes: [openid, profile, email, groups]",
                  ].join("\n"),
                }
              : {}),
          },
          rbac: {
            "policy.default": "role:readonly",
            ...(sso ? { "policy.csv": `g, ${sso.adminGroup}, role:admin` } : {}),
          },
        },
        dex: { enabled: false },
        notifications: { enabled: false },
        // The services are Applications written by cdktf; no ApplicationSet controller runs.
        applicationSet: { replicas: 0 },
        server: ha,
        repoServer: ha,
        ...(props.alertOnProject
          ? {
              controller: {
                metrics: {
                  enabled: true,
                  serviceMonitor: { enabled: true },
                  rules: { enabled: true, spec: serviceReleaseAlerts(props.alertOnProject) as unknown as HelmValues[] },
                },
              },
            }
          : {}),
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
