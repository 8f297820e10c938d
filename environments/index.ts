import { App } from "cdktf";
import { ACCOUNT, AccountConfig } from "./account";
import { AccountStack } from "./account-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { development } from "./development";
import { DrStack } from "./dr-stack";
import { EnvironmentStack } from "./environment-stack";
import { production } from "./production";
import { staging } from "./staging";
import { EnvironmentConfig } from "./types";
import { ConfigErrors, validateEnvironments } from "./validate";

/** Every environment, in deployment order. Add a new one here (see README, "Adding an environment"). */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [development, staging, production];

/** The stacks of an app: `bootstrap`, `account`, then one per environment, then the DR stacks. */
export interface Platform {
  readonly bootstrap: BootstrapStack;
  readonly account: AccountStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
  /** The DR stacks (`<env>-dr`) of the environments with a `dr` section, by environment name. */
  readonly dr: Readonly<Record<string, DrStack>>;
}

/**
 * Validates the configs, then adds the bootstrap and account stacks, one stack per environment and a
 * DR stack (`<env>-dr`, after its environment) per environment with a `dr` section to `app`.
 */
export function buildPlatform(
  app: App,
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  account: AccountConfig = ACCOUNT,
): Platform {
  validateEnvironments(environments);
  const bootstrap = new BootstrapStack(app, { costCenter: account.costCenter });
  const accountStack = new AccountStack(app, {
    config: account,
    environmentDomains: Object.fromEntries(environments.map((config) => [config.name, config.edge.domain])),
  });
  accountStack.addDependency(bootstrap);
  // A module's own rule that fails stops its stack only: the other environments are still built, so
  // one run reports the mistakes of all of them.
  const errors: Error[] = [];
  const attempt = <T>(build: () => T): T[] => {
    try {
      return [build()];
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      return [];
    }
  };
  const stacks = environments.flatMap((config) =>
    attempt(() => {
      const stack = new EnvironmentStack(app, config);
      stack.addDependency(accountStack);
      return [config.name, stack] as const;
    }),
  );
  const drStacks = stacks
    .filter(([, stack]) => stack.config.dr)
    .flatMap(([name, stack]) => attempt(() => [name, new DrStack(app, stack)] as const));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  return { bootstrap, account: accountStack, environments: Object.fromEntries(stacks), dr: Object.fromEntries(drStacks) };
}
