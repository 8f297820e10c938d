import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";

/** The only token signing algorithm services accept: RS256 (asymmetric; HS256 would share a secret). */
export const AUTH0_ALGORITHMS = ["RS256"] as const;
/** The most clock skew a service tolerates when checking `exp`/`nbf`/`iat`. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** The namespace the platform's services run in, and the ConfigMap's name there. */
export const AUTH0_CONFIG_MAP = { namespace: "aivo", name: "auth0" } as const;

/** How services validate Auth0 access tokens: the `auth0` section of an environment config. */
export interface Auth0Settings {
  /** The tenant's (or custom) domain, e.g. `aivo.us.auth0.com`; a host name, no scheme. */
  readonly domain: string;
  /** The API identifier tokens are issued for (`aud`), e.g. `https://api.aivo.edu`. */
  readonly audience: string;
  /** Where the signing keys are published: `https://<domain>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** The `iss` claim: `https://<domain>/` (with the trailing slash Auth0 writes). */
  readonly issuer: string;
  /** Accepted signing algorithms; only RS256. */
  readonly algorithms: readonly string[];
  /** Tolerated clock skew in seconds, 0-300. */
  readonly clockSkewSeconds: number;
}

function httpsUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Throws `<env>.auth0.<field>: <value> …` for the first invalid setting. */
export function validateAuth0(environment: string, settings: Auth0Settings): void {
  const path = `${environment}.auth0`;
  const { domain } = settings;
  if (!/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) {
    throw new Error(`${path}.domain: "${domain}" is not a host name; give the tenant domain without scheme or path, e.g. aivo.us.auth0.com`);
  }
  const issuer = httpsUrl(settings.issuer);
  if (!issuer) throw new Error(`${path}.issuer: "${settings.issuer}" is not an https:// URL`);
  if (settings.issuer !== `https://${domain}/`) {
    throw new Error(`${path}.issuer: "${settings.issuer}" does not match the domain; Auth0 issues tokens as "https://${domain}/"`);
  }
  const jwks = httpsUrl(settings.jwksUri);
  if (!jwks) throw new Error(`${path}.jwksUri: "${settings.jwksUri}" is not an https:// URL`);
  if (jwks.hostname !== domain) {
    throw new Error(`${path}.jwksUri: "${settings.jwksUri}" is not on the domain ${domain}; use https://${domain}/.well-known/jwks.json`);
  }
  if (!settings.audience || (/^[a-z]+:/i.test(settings.audience) && !httpsUrl(settings.audience))) {
    throw new Error(`${path}.audience: "${settings.audience}" must be the API identifier; when it is a URL it must be https://`);
  }
  if (settings.algorithms.length === 0 || settings.algorithms.some((a) => !(AUTH0_ALGORITHMS as readonly string[]).includes(a))) {
    throw new Error(`${path}.algorithms: [${settings.algorithms.join(", ")}] is not allowed; use ${AUTH0_ALGORITHMS.join(", ")} only`);
  }
  const skew = settings.clockSkewSeconds;
  if (!Number.isInteger(skew) || skew < 0 || skew > MAX_CLOCK_SKEW_SECONDS) {
    throw new Error(`${path}.clockSkewSeconds: ${skew} is outside 0-${MAX_CLOCK_SKEW_SECONDS} seconds`);
  }
}

/** The ConfigMap's keys, as services read them from the environment (`envFrom`). */
export function auth0ConfigData(settings: Auth0Settings): Record<string, string> {
  return {
    AUTH0_DOMAIN: settings.domain,
    AUTH0_AUDIENCE: settings.audience,
    AUTH0_ISSUER: settings.issuer,
    AUTH0_JWKS_URI: settings.jwksUri,
    AUTH0_ALGORITHMS: settings.algorithms.join(","),
    AUTH0_CLOCK_SKEW_SECONDS: String(settings.clockSkewSeconds),
  };
}

export interface Auth0ConfigProps extends Auth0Settings {
  /** The environment, for validation messages. */
  readonly environment: string;
  /** @default AUTH0_CONFIG_MAP.namespace ("aivo"); must exist */
  readonly namespace?: string;
  /** Resources that must exist first (its namespace). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Auth0 token-validation settings delivered to services as the ConfigMap `auth0` in `aivo`
 * (no secret in it: a resource server needs only public values to verify RS256 tokens).
 */
export class Auth0Config extends Construct {
  readonly configMap: ConfigMapV1;
  readonly data: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: Auth0ConfigProps) {
    super(scope, id);
    validateAuth0(props.environment, props);
    this.data = auth0ConfigData(props);
    this.configMap = new ConfigMapV1(this, "config-map", {
      metadata: {
        name: AUTH0_CONFIG_MAP.name,
        namespace: props.namespace ?? AUTH0_CONFIG_MAP.namespace,
        labels: { "app.kubernetes.io/part-of": "aivo", "app.kubernetes.io/managed-by": "cdktf" },
      },
      data: { ...this.data },
      dependsOn: props.dependsOn,
    });
  }
}
