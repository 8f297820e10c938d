/**
 * The one place the platform's naming convention lives.
 *
 * Every resource is named `<project>-<environment>-<component>` (the infrastructure document's
 * `aivo-development-eks`), every KMS alias is `alias/<project>/<environment>/<purpose>`. Modules take a
 * `Naming` instead of building names from strings, so a rename is a one-line change here.
 */
export class Naming {
  /**
   * @param project     project slug, e.g. `aivo`
   * @param environment environment name, e.g. `development`
   */
  constructor(
    readonly project: string,
    readonly environment: string,
  ) {
    for (const [field, value] of [
      ["project", project],
      ["environment", environment],
    ] as const) {
      if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(value)) {
        throw new Error(
          `naming.${field}: "${value}" is not a valid name part; use lowercase letters, digits and "-", starting with a letter`,
        );
      }
    }
  }

  /** `aivo-development` — the prefix shared by every resource of the environment. */
  get prefix(): string {
    return `${this.project}-${this.environment}`;
  }

  /** `aivo-development-<parts joined by ->`, e.g. `name("eks")` → `aivo-development-eks`. */
  name(...parts: string[]): string {
    return [this.prefix, ...parts].join("-");
  }

  /** `alias/aivo/development/<purpose>`, the alias of a customer-managed KMS key. */
  kmsAlias(purpose: string): string {
    return `alias/${this.project}/${this.environment}/${purpose}`;
  }

  /** `/aivo/development/<parts joined by />`, for CloudWatch log groups and SSM/Secrets Manager paths. */
  path(...parts: string[]): string {
    return `/${[this.project, this.environment, ...parts].join("/")}`;
  }
}
