import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { isDomainName } from "../../edge/cloudfront";

/** TTL of the delegating NS records in the apex zone (one hour: a re-delegation propagates within it). */
export const DELEGATION_TTL_SECONDS = 3600;

/** The account config's `dns` section. */
export interface DnsZonesSettings {
  /**
   * The registered domain whose public zone the account owns, e.g. `aivo.edu`. Its name servers
   * (output `apex_name_servers`) are entered once at the registrar: the one DNS step that stays manual.
   */
  readonly apexDomain: string;
}

export interface DnsZonesProps extends DnsZonesSettings {
  /**
   * The public domain of each environment, by environment name (`<env>.edge.domain`): the apex itself
   * (production's `aivo.edu`) or a name under it (`dev.aivo.edu`), which gets its own zone delegated
   * from the apex.
   */
  readonly environmentDomains: Readonly<Record<string, string>>;
  /** The config path errors name for the apex, e.g. `account.dns`. */
  readonly configPath: string;
}

/**
 * The public DNS the account owns, deployed (in the `account` stack) before any environment: the apex
 * zone and one zone per environment domain below it, each delegated from the apex by an NS record.
 * So when an environment stack validates its ACM certificate through its zone, the zone already
 * answers publicly (once the registrar points at the apex's name servers), and the documented deploy
 * order bootstrap → account → development → staging → production needs no manual DNS step in between.
 * Environment stacks look their zone up by name (`data.aws_route53_zone`); they never create it.
 */
export class DnsZones extends Construct {
  /** The apex zone (escape hatch). */
  readonly apexZone: Route53Zone;
  /** The apex zone's name servers: enter them at the registrar. */
  readonly apexNameServers: string[];
  /** The zone id of every environment domain (the apex zone's for an environment on the apex). */
  readonly zoneIds: Readonly<Record<string, string>>;
  /** The zone of every delegated environment domain, by domain (escape hatch). */
  readonly delegatedZones: Readonly<Record<string, Route53Zone>>;

  constructor(scope: Construct, id: string, props: DnsZonesProps) {
    super(scope, id);
    const apex = props.apexDomain;
    if (!isDomainName(apex)) {
      throw new Error(`${props.configPath}.apexDomain: "${apex}" is not a domain name; use the registered domain, e.g. "aivo.edu"`);
    }
    const seen = new Map<string, string>();
    for (const [env, domain] of Object.entries(props.environmentDomains)) {
      const other = seen.get(domain);
      if (other !== undefined) {
        throw new Error(`${env}.edge.domain: "${domain}" is also ${other}.edge.domain; every environment needs its own domain`);
      }
      seen.set(domain, env);
      if (domain !== apex && !domain.endsWith(`.${apex}`)) {
        throw new Error(
          `${env}.edge.domain: "${domain}" is not ${apex} or a name under it (${props.configPath}.apexDomain); the account delegates environment zones from its apex only`,
        );
      }
    }

    this.apexZone = new Route53Zone(this, "apex", { name: apex, comment: `Apex of ${apex}, owned by the account stack` });
    this.apexNameServers = this.apexZone.nameServers;

    const zoneIds: Record<string, string> = {};
    const delegated: Record<string, Route53Zone> = {};
    for (const domain of Object.values(props.environmentDomains).sort()) {
      if (domain === apex) {
        zoneIds[domain] = this.apexZone.zoneId;
        continue;
      }
      const key = domain.slice(0, -(apex.length + 1)).replace(/\./g, "-");
      const zone = new Route53Zone(this, `zone-${key}`, { name: domain, comment: `${domain}, delegated from ${apex}` });
      new Route53Record(this, `delegation-${key}`, {
        zoneId: this.apexZone.zoneId,
        name: domain,
        type: "NS",
        ttl: DELEGATION_TTL_SECONDS,
        records: zone.nameServers,
      });
      delegated[domain] = zone;
      zoneIds[domain] = zone.zoneId;
    }
    this.zoneIds = zoneIds;
    this.delegatedZones = delegated;
  }
}
