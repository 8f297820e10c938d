import { Construct } from "constructs";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Naming } from "../../../shared/naming";
import { GeolocationSettings, failoverNameFor, locationOf, validateGeolocation } from "./geolocation";

export * from "./geolocation";

/** The two sides of a failover pair, in Route 53's words. */
export const FAILOVER_ROLES = ["PRIMARY", "SECONDARY"] as const;
export type FailoverRole = (typeof FAILOVER_ROLES)[number];

/** Route 53's health-check request intervals (seconds). */
export const HEALTH_CHECK_INTERVALS: readonly number[] = [10, 30];

/** The settings of a failover name (an environment's `dr.traffic`). */
export interface FailoverDnsSettings {
  /**
   * The primary region's own origin name, e.g. `origin-us-east-1.aivo.edu` (the ALB's record, which
   * external-dns in the primary cluster keeps).
   */
  readonly primaryTarget: string;
  /** The DR region's origin name, e.g. `origin-us-west-2.aivo.edu` (kept by external-dns in the DR cluster). */
  readonly secondaryTarget: string;
  /** The path Route 53 health-checks on both targets over HTTPS (the origin's health path, routed to a ready service). @default "/healthz/ready" */
  readonly healthCheckPath?: string;
  /** Seconds between health checks: 10 or 30. @default 10 */
  readonly healthCheckIntervalSeconds?: number;
  /** Consecutive failures before a target counts as unhealthy (1-10). @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /** TTL of the failover records, seconds (resolvers hold the old answer this long after a switch). @default 60 */
  readonly ttlSeconds?: number;
  /**
   * Geolocation answers: listed continents/countries get their regional origin, the rest (`*`) the
   * failover pair, which then answers under `failoverNameFor(recordName)`. @default off
   */
  readonly geolocation?: GeolocationSettings;
}

export interface FailoverRecordsProps extends FailoverDnsSettings {
  /** Names the health checks `aivo-<env>-…` and scopes error messages to `<env>.dr.traffic`. */
  readonly naming: Naming;
  /** The public hosted zone holding `recordName` (the environment's zone today, the account's later). */
  readonly zoneId: string;
  /** The name that fails over, e.g. `origin.aivo.edu` (what CloudFront connects to). */
  readonly recordName: string;
  /** Where errors point, e.g. `production.dr.traffic`. @default `<env>.dr.traffic` */
  readonly configPath?: string;
}

/**
 * Route 53 failover routing for one name: a PRIMARY CNAME to the primary region's origin and a
 * SECONDARY CNAME to the DR region's, each with its own HTTPS health check. Route 53 answers with the
 * primary while its check is healthy and with the secondary otherwise, so DNS fails over without a
 * human; forcing it (e.g. for a drill) is inverting the primary's health check (`aws route53
 * update-health-check --inverted`).
 */
export class FailoverRecords extends Construct {
  /** The health checks by role (escape hatch). */
  readonly healthChecks: Readonly<Record<FailoverRole, Route53HealthCheck>>;
  /** The failover records by role (escape hatch). */
  readonly records: Readonly<Record<FailoverRole, Route53Record>>;
  /** Id of the primary target's health check (for `update-health-check --inverted` in a drill). */
  readonly primaryHealthCheckId: string;
  /** Id of the secondary target's health check. */
  readonly secondaryHealthCheckId: string;
  /** The name that fails over (`recordName`, or `failoverNameFor(recordName)` with geolocation). */
  readonly recordName: string;
  /** Geolocation records by set identifier, the default (`geo-default`) included; empty when off. */
  readonly geolocationRecords: Readonly<Record<string, Route53Record>>;

  constructor(scope: Construct, id: string, props: FailoverRecordsProps) {
    super(scope, id);
    const path = props.configPath ?? `${props.naming.environment}.dr.traffic`;
    const interval = props.healthCheckIntervalSeconds ?? 10;
    const threshold = props.healthCheckFailureThreshold ?? 3;
    const ttl = props.ttlSeconds ?? 60;
    const healthPath = props.healthCheckPath ?? "/healthz/ready";
    validate(path, props, { interval, threshold, ttl, healthPath });
    if (props.geolocation) validateGeolocation(path, props.recordName, props.geolocation);
    const failoverName = props.geolocation ? failoverNameFor(props.recordName) : props.recordName;

    // One HTTPS check per answer: the failover pair's targets and each geolocation origin.
    const healthCheck = (id: string, fqdn: string, name: string) =>
      new Route53HealthCheck(this, id, {
        type: "HTTPS",
        fqdn,
        port: 443,
        resourcePath: healthPath,
        requestInterval: interval,
        failureThreshold: threshold,
        enableSni: true,
        tags: { Name: name },
      });
    const targets: Record<FailoverRole, string> = { PRIMARY: props.primaryTarget, SECONDARY: props.secondaryTarget };
    const healthChecks = {} as Record<FailoverRole, Route53HealthCheck>;
    const records = {} as Record<FailoverRole, Route53Record>;
    for (const role of FAILOVER_ROLES) {
      const key = role.toLowerCase();
      healthChecks[role] = healthCheck(`${key}-health-check`, targets[role], props.naming.name("failover", key));
      records[role] = new Route53Record(this, `${key}-record`, {
        zoneId: props.zoneId,
        name: failoverName,
        type: "CNAME",
        ttl,
        records: [targets[role]],
        setIdentifier: key,
        failoverRoutingPolicy: { type: role },
        healthCheckId: healthChecks[role].id,
      });
    }
    this.healthChecks = healthChecks;
    this.records = records;
    this.primaryHealthCheckId = healthChecks.PRIMARY.id;
    this.secondaryHealthCheckId = healthChecks.SECONDARY.id;
    this.recordName = failoverName;

    const geo: Record<string, Route53Record> = {};
    for (const answer of props.geolocation?.answers ?? []) {
      const { kind, code } = locationOf(answer);
      const id = `geo-${kind}-${code.toLowerCase()}`;
      // Unhealthy: Route 53 answers as for a location without a record, i.e. with the default.
      const check = healthCheck(`${id}-health-check`, answer.target, props.naming.name("geo", kind, code.toLowerCase()));
      geo[id] = new Route53Record(this, id, {
        zoneId: props.zoneId,
        name: props.recordName,
        type: "CNAME",
        ttl,
        records: [answer.target],
        setIdentifier: id,
        geolocationRoutingPolicy: kind === "continent" ? { continent: code } : { country: code },
        healthCheckId: check.id,
      });
    }
    if (props.geolocation) {
      // Always present: users of every other location (and those Route 53 can't place) get the failover pair.
      geo["geo-default"] = new Route53Record(this, "geo-default", {
        zoneId: props.zoneId,
        name: props.recordName,
        type: "CNAME",
        ttl,
        records: [failoverName],
        setIdentifier: "geo-default",
        geolocationRoutingPolicy: { country: "*" },
      });
    }
    this.geolocationRecords = geo;
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Checks the failover settings; throws `<path>.<field>: <value> <rule>`. */
export function validate(
  path: string,
  props: Pick<FailoverRecordsProps, "primaryTarget" | "secondaryTarget" | "recordName">,
  s: { interval: number; threshold: number; ttl: number; healthPath: string },
): void {
  for (const field of ["primaryTarget", "secondaryTarget"] as const) {
    const value = props[field];
    if (!DOMAIN.test(value)) {
      throw new Error(`${path}.${field}: "${value}" is not a lower-case DNS name; use the region's ALB name, e.g. origin-us-west-2.aivo.edu`);
    }
    if (value === props.recordName) {
      throw new Error(`${path}.${field}: "${value}" is the failover name itself, so the record would point at itself; use the region's own ALB name`);
    }
  }
  if (props.primaryTarget === props.secondaryTarget) {
    throw new Error(`${path}.secondaryTarget: "${props.secondaryTarget}" equals primaryTarget; the DR side needs its own origin name`);
  }
  if (!HEALTH_CHECK_INTERVALS.includes(s.interval)) {
    throw new Error(`${path}.healthCheckIntervalSeconds: ${s.interval} is not a Route 53 interval; use 10 or 30`);
  }
  if (!Number.isInteger(s.threshold) || s.threshold < 1 || s.threshold > 10) {
    throw new Error(`${path}.healthCheckFailureThreshold: ${s.threshold} is outside 1-10, the range Route 53 accepts`);
  }
  if (!Number.isInteger(s.ttl) || s.ttl < 1 || s.ttl > 300) {
    throw new Error(`${path}.ttlSeconds: ${s.ttl} is outside 1-300; a failover record's TTL is how long clients keep the failed answer`);
  }
  if (!/^\/[\x21-\x7e]{0,254}$/.test(s.healthPath)) {
    throw new Error(`${path}.healthCheckPath: "${s.healthPath}" is not a health-check path; start with "/" and use printable characters without spaces`);
  }
}
