import { Construct } from "constructs";
import { CognitoIdentityPool } from "@cdktf/provider-aws/lib/cognito-identity-pool";
import { CognitoIdentityPoolRolesAttachment } from "@cdktf/provider-aws/lib/cognito-identity-pool-roles-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { RumAppMonitor } from "@cdktf/provider-aws/lib/rum-app-monitor";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/** What the web client records: page loads (Core Web Vitals), JavaScript errors, and fetch/XHR calls (traced with X-Ray). */
export const RUM_TELEMETRIES = ["performance", "errors", "http"] as const;
/** The share of user sessions recorded when the config sets none, by tier: everything in development, a tenth in production. */
export const RUM_SAMPLE_RATE_BY_TIER: Readonly<Record<string, number>> = { production: 0.1, staging: 0.5, development: 1 };
/** Cognito's principal for identity-pool federation. */
const COGNITO_IDENTITY = "cognito-identity.amazonaws.com";

/** CloudWatch RUM of the web front end (the environment's `realUserMonitoring` config). */
export interface RealUserMonitoringSettings {
  /** Share of sessions recorded, 0-1. @default RUM_SAMPLE_RATE_BY_TIER[tier] */
  readonly sessionSampleRate?: number;
  /** Pages (URL patterns) never recorded, e.g. account settings. @default none */
  readonly excludedPages?: readonly string[];
  /** Let the web client set its session/user cookies (needed for session and user counts). @default true */
  readonly allowCookies?: boolean;
}

export interface RealUserMonitoringProps {
  readonly naming: Naming;
  readonly tier: string;
  readonly settings: RealUserMonitoringSettings;
  /** The site's domain, e.g. `dev.aivo.edu` (the monitor accepts events from it and its subdomains). */
  readonly domain: string;
}

/** `<path>.<field>: …` for a sample rate outside 0-1 or a page pattern that is not an absolute URL. */
export function validateRealUserMonitoring(path: string, s: RealUserMonitoringSettings): void {
  const rate = s.sessionSampleRate;
  if (rate !== undefined && (typeof rate !== "number" || !(rate >= 0 && rate <= 1))) {
    throw new Error(`${path}.sessionSampleRate: ${rate} is outside 0-1; it is the share of sessions recorded (0.1 = one in ten)`);
  }
  (s.excludedPages ?? []).forEach((page, i) => {
    if (!/^https:\/\/\S+$/.test(page)) throw new Error(`${path}.excludedPages[${i}]: "${page}" is not an https:// URL pattern, e.g. https://dev.aivo.edu/account/*`);
  });
}

/**
 * A CloudWatch RUM app monitor for the web front end of one environment, with what the browser needs
 * to send events: a Cognito identity pool admitting unauthenticated identities, whose role may do one
 * thing, `rum:PutRumEvents` on this monitor. X-Ray correlation is on (the web client adds trace
 * headers to the API calls it records). The snippet's parameters are the readonly properties.
 */
export class RealUserMonitoring extends Construct {
  /** The app monitor (escape hatch). */
  readonly appMonitor: RumAppMonitor;
  /** The snippet's `APPLICATION_ID`. */
  readonly appMonitorId: string;
  readonly appMonitorName: string;
  /** The snippet's `identityPoolId`. */
  readonly identityPoolId: string;
  /** The snippet's `guestRoleArn`. */
  readonly guestRoleArn: string;
  /** The snippet's `sessionSampleRate`. */
  readonly sessionSampleRate: number;
  /** The snippet's `endpoint`: `https://dataplane.rum.<region>.amazonaws.com`. */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: RealUserMonitoringProps) {
    super(scope, id);
    const { naming, settings } = props;
    validateRealUserMonitoring(`${naming.environment}.realUserMonitoring`, settings);
    const context = AwsContext.of(this);
    this.appMonitorName = naming.name("web");
    this.sessionSampleRate = settings.sessionSampleRate ?? RUM_SAMPLE_RATE_BY_TIER[props.tier] ?? RUM_SAMPLE_RATE_BY_TIER.production;
    this.endpoint = `https://dataplane.rum.${context.region}.${context.dnsSuffix}`;

    const pool = new CognitoIdentityPool(this, "identity-pool", {
      identityPoolName: naming.name("rum"),
      allowUnauthenticatedIdentities: true,
      // The RUM web client with a guestRoleArn takes the basic flow (GetOpenIdToken, then AssumeRoleWithWebIdentity).
      allowClassicFlow: true,
    });
    this.identityPoolId = pool.id;
    const monitorArn = context.arn("rum", `appmonitor/${this.appMonitorName}`);
    const guest = new IamRole(this, "guest-role", {
      name: naming.name("rum-guest"),
      description: `Unauthenticated visitors of ${props.domain}: send RUM events to ${this.appMonitorName}, nothing else`,
      assumeRolePolicy: policyDocument([
        {
          Sid: "UnauthenticatedIdentitiesOfThePool",
          Principal: { Federated: COGNITO_IDENTITY },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${COGNITO_IDENTITY}:aud`]: pool.id },
            "ForAnyValue:StringLike": { [`${COGNITO_IDENTITY}:amr`]: "unauthenticated" },
          },
        },
      ]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "guest-policy", {
      role: guest.id,
      name: "put-rum-events",
      policy: policyDocument([{ Sid: "PutRumEvents", Action: "rum:PutRumEvents", Resource: monitorArn }]),
    });
    this.guestRoleArn = guest.arn;
    new CognitoIdentityPoolRolesAttachment(this, "identity-pool-roles", { identityPoolId: pool.id, roles: { unauthenticated: guest.arn } });

    this.appMonitor = new RumAppMonitor(this, "app-monitor", {
      name: this.appMonitorName,
      domainList: [props.domain, `*.${props.domain}`],
      // Events stay in RUM (30 days); copying them to CloudWatch Logs would add a log group RUM owns, outside our retention and CMK rules.
      cwLogEnabled: false,
      appMonitorConfiguration: {
        allowCookies: settings.allowCookies ?? true,
        enableXray: true,
        identityPoolId: pool.id,
        guestRoleArn: guest.arn,
        sessionSampleRate: this.sessionSampleRate,
        telemetries: [...RUM_TELEMETRIES],
        ...(settings.excludedPages?.length ? { excludedPages: [...settings.excludedPages] } : {}),
      },
    });
    this.appMonitorId = this.appMonitor.appMonitorId;
  }
}
