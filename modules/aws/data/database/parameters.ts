// The instances' parameter group: the platform's base parameters (TLS only, logging) and the
// environment's own, in a group named after the engine's parameter family.
import { Construct } from "constructs";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import type { PostgresDatabaseProps } from "./settings";

/**
 * The parameters every instance gets: TLS only (1.2+), and the logging the platform relies on. Values
 * in `DatabaseSettings.parameters` override these.
 */
export const POSTGRES_BASE_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  ssl_min_protocol_version: "TLSv1.2",
  log_connections: "1",
  log_disconnections: "1",
  log_lock_waits: "1",
  log_temp_files: "0",
  log_autovacuum_min_duration: "10000",
  log_statement: "ddl",
};

/** A major version `<major>` → the parameter family `postgres<major>`; `undefined` for another format. */
export function postgresParameterFamily(engineVersion: string): string | undefined {
  const m = /^(\d+)$/.exec(engineVersion);
  return m ? `postgres${Number(m[1])}` : undefined;
}

/**
 * The parameter group `<identifier>-<family>` of the primary and its replicas: `POSTGRES_BASE_PARAMETERS`
 * and `log_min_duration_statement` applied immediately, the settings' `parameters` (which override
 * them) at the next reboot.
 */
export function createParameterGroup(
  scope: Construct,
  props: PostgresDatabaseProps,
  identifier: string,
  family: string,
  logMinDuration: number,
): DbParameterGroup {
  const parameters: Record<string, string> = {
    ...POSTGRES_BASE_PARAMETERS,
    log_min_duration_statement: String(logMinDuration),
  };
  return new DbParameterGroup(scope, "parameters", {
    // The family is part of the name so a major upgrade creates the new group before destroying the old.
    name: `${identifier}-${family}`,
    family,
    // No engine version here: `description` forces replacement, and a minor upgrade must not
    // replace the group (its create-before-destroy twin would collide with this name).
    description: `${identifier} (${family}): TLS only, logging`,
    parameter: [
      ...Object.entries(parameters)
        .filter(([name]) => !(props.parameters && name in props.parameters))
        .map(([name, value]) => ({ name, value, applyMethod: "immediate" })),
      ...Object.entries(props.parameters ?? {}).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
    ],
    lifecycle: { createBeforeDestroy: true },
  });
}
