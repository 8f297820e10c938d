import { Construct } from "constructs";
import { HelmAddOn, HelmValues } from "../../helm-addon";
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
  /** Values merged over the defaults. @default {} */
  readonly values?: HelmValues;
  /** Releases installed first. @default none */
  readonly dependsOn?: ITerraformDependable[];
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
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`${props.where}.replicas: ${replicas} is not a replica count; use a whole number ≥ 1`);
    const sso = props.sso;
    if (sso && !/^https:\/\//.test(sso.issuer)) throw new Error(`${props.where}.sso.issuer: "${sso.issuer}" is not an https:// issuer URL`);
    const ha = { replicas, pdb: { enabled: replicas > 1, minAvailable: 1 } };
    this.addOn = new HelmAddOn(this, "chart", {
      where: props.where,
      chart: props.chart,
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
      },
      values: props.values,
      dependsOn: props.dependsOn,
    });
  }
}
