import { App } from "cdktf";
import { BootstrapStack } from "./bootstrap-stack";
import { development } from "./development";
import { EnvironmentStack } from "./environment-stack";
import { production } from "./production";
import { staging } from "./staging";
import { EnvironmentConfig } from "./types";
import { validateEnvironments } from "./validate";

/** Every environment, in deployment order. Add a new one here (see README, "Adding an environment"). */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [development, staging, production];

/** The stacks of an app: `bootstrap`, then one per environment. */
export interface Platform {
  readonly bootstrap: BootstrapStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
}

/** Validates the configs, then adds the bootstrap stack and one stack per environment to `app`. */
export function buildPlatform(app: App, environments: readonly EnvironmentConfig[] = ENVIRONMENTS): Platform {
  validateEnvironments(environments);
  const bootstrap = new BootstrapStack(app, { costCenter: environments[0].costCenter });
  return {
    bootstrap,
    environments: Object.fromEntries(environments.map((config) => [config.name, new EnvironmentStack(app, config)])),
  };
}
