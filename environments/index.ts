import { App } from "cdktf";
import { ACCOUNT, AccountConfig } from "./account";
import { AccountStack } from "./account-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { development } from "./development";
import { EnvironmentStack } from "./environment-stack";
import { production } from "./production";
import { staging } from "./staging";
import { EnvironmentConfig } from "./types";
import { validateEnvironments } from "./validate";

/** Every environment, in deployment order. Add a new one here (see README, "Adding an environment"). */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [development, staging, production];

/** The stacks of an app: `bootstrap`, `account`, then one per environment. */
export interface Platform {
  readonly bootstrap: BootstrapStack;
  readonly account: AccountStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
}

/** Validates the configs, then adds the bootstrap and account stacks and one stack per environment to `app`. */
export function buildPlatform(
  app: App,
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  account: AccountConfig = ACCOUNT,
): Platform {
  validateEnvironments(environments);
  const bootstrap = new BootstrapStack(app, { costCenter: account.costCenter });
  const accountStack = new AccountStack(app, { config: account, environments: environments.map((e) => e.name) });
  accountStack.addDependency(bootstrap);
  const stacks = environments.map((config) => {
    const stack = new EnvironmentStack(app, config);
    stack.addDependency(accountStack);
    return [config.name, stack] as const;
  });
  return { bootstrap, account: accountStack, environments: Object.fromEntries(stacks) };
}
