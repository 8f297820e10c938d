import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "../modules/aws-context";
import { DnsZones } from "../modules/dns-zones";
import { Naming } from "../modules/naming";
import { declareOutputs } from "../modules/outputs";
import { ServiceLinkedRoles } from "../modules/service-linked-roles";
import { AccountConfig } from "./account";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateBackendConfig, stateKey } from "./state";

/** The stack name: `cdktf deploy account`. */
export const ACCOUNT_STACK = "account";

export interface AccountStackProps {
  /** The account's settings (environments/account.ts). */
  readonly config: AccountConfig;
  /**
   * Each environment's public domain by environment name (`<env>.edge.domain`): the account creates
   * their zones and delegates them from the apex before any environment validates a certificate.
   */
  readonly environmentDomains: Readonly<Record<string, string>>;
}

/**
 * What exists once per AWS account, whatever the number of environments, deployed after `bootstrap`
 * and before any environment: it keeps its state in the shared S3 backend
 * (`aivo/account/terraform.tfstate`). Account-level concerns (service-linked roles, the apex DNS zone
 * and its delegations, CI's identity provider and roles, audit and threat detection) are added here
 * as one construct each, so an environment stack never owns something another environment needs.
 */
export class AccountStack extends PlatformStack {
  readonly config: AccountConfig;
  readonly naming: Naming;
  /** The service-linked roles the environments' keys and launches rely on. */
  readonly serviceLinkedRoles: ServiceLinkedRoles;
  /** The apex zone and the environments' delegated zones. */
  readonly dns: DnsZones;

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, ACCOUNT_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: ACCOUNT_STACK, costCenter: props.config.costCenter },
    });
    this.config = props.config;
    this.naming = new Naming(STATE_BACKEND.project, ACCOUNT_STACK);
    new S3Backend(this, stateBackendConfig(stateKey(ACCOUNT_STACK)));

    this.serviceLinkedRoles = new ServiceLinkedRoles(this, "service-linked-roles", {
      ...props.config.serviceLinkedRoles,
      configPath: `${ACCOUNT_STACK}.serviceLinkedRoles`,
    });
    this.dns = new DnsZones(this, "dns", {
      ...props.config.dns,
      environmentDomains: props.environmentDomains,
      configPath: `${ACCOUNT_STACK}.dns`,
    });
    const context = AwsContext.of(this);
    declareOutputs(this, {
      account_id: { value: context.accountId, description: "The AWS account the platform runs in" },
      partition: { value: context.partition, description: "The AWS partition (aws, aws-us-gov, …) for building ARNs" },
      apex_name_servers: {
        value: this.dns.apexNameServers,
        description: `Name servers of ${props.config.dns.apexDomain}: enter them at the domain's registrar (once per account)`,
      },
    });
  }
}
