/**
 * A short, stable code for an AWS region, used to qualify names: `us-west-2` → `usw2`,
 * `eu-central-1` → `euc1`, `us-gov-west-1` → `usgovw1`.
 */
export function regionCode(region: string): string {
  const m = /^([a-z]{2})(-gov)?-([a-z]+)-(\d)$/.exec(region);
  if (!m) throw new Error(`naming.region: "${region}" is not an AWS region like us-west-2`);
  const direction = m[3]
    .replace(/north/g, "n")
    .replace(/south/g, "s")
    .replace(/east/g, "e")
    .replace(/west/g, "w")
    .replace(/central/g, "c");
  return `${m[1]}${m[2] ? "gov" : ""}${direction}${m[4]}`;
}

/**
 * The one place the platform's naming convention lives.
 *
 * Every resource is named `<project>-<environment>-<component>` (the infrastructure document's
 * `aivo-development-eks`), every KMS alias is `alias/<project>/<environment>/<purpose>`. Modules take a
 * `Naming` instead of building names from strings, so a rename is a one-line change here.
 */
export class Naming {
  /**
   * A qualifier of every name, after the environment (e.g. the region code `usw2`); `undefined` for the
   * environment's primary region.
   */
  readonly qualifier?: string;

  /**
   * @param project     project slug, e.g. `aivo`
   * @param environment environment name, e.g. `development`
   * @param qualifier   follows the environment in every name, e.g. a region code (see `inRegion`)
   */
  constructor(
    readonly project: string,
    readonly environment: string,
    qualifier?: string,
  ) {
    this.qualifier = qualifier;
    for (const [field, value] of [
      ["project", project],
      ["environment", environment],
      ...(qualifier !== undefined ? [["qualifier", qualifier] as const] : []),
    ] as const) {
      if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(value)) {
        throw new Error(
          `naming.${field}: "${value}" is not a valid name part; use lowercase letters, digits and "-", starting with a letter`,
        );
      }
    }
  }

  /**
   * The same environment in another region: every name carries the region's code
   * (`aivo-production-usw2-eks`, `alias/aivo/production-usw2/rds`), so account-global names (IAM
   * roles and policies, instance profiles) of the primary and the DR stacks never collide.
   */
  inRegion(region: string): Naming {
    return new Naming(this.project, this.environment, regionCode(region));
  }

  /** `production` or, when qualified, `production-usw2`: the environment part of every name. */
  private get scope(): string {
    return this.qualifier === undefined ? this.environment : `${this.environment}-${this.qualifier}`;
  }

  /** `aivo-development` (`aivo-production-usw2` when qualified) — the prefix shared by every resource of the environment. */
  get prefix(): string {
    return `${this.project}-${this.scope}`;
  }

  /** `aivo-development-<parts joined by ->`, e.g. `name("eks")` → `aivo-development-eks`. */
  name(...parts: string[]): string {
    return [this.prefix, ...parts].join("-");
  }

  /** `alias/aivo/development/<purpose>`, the alias of a customer-managed KMS key. */
  kmsAlias(purpose: string): string {
    return `alias/${this.project}/${this.scope}/${purpose}`;
  }

  /** `/aivo/development/<parts joined by />`, for CloudWatch log groups and SSM/Secrets Manager paths. */
  path(...parts: string[]): string {
    return `/${[this.project, this.scope, ...parts].join("/")}`;
  }
}
