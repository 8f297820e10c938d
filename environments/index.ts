import { App } from "cdktf";
import { ACCOUNT, AccountConfig } from "./account";
import { AccountStack } from "./account-stack";
import { AddonsStack } from "./addons-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { development } from "./development";
import { EnvironmentStack } from "./environment-stack";
import { production } from "./production";
import { staging } from "./staging";
import type { ServiceSpec } from "../modules/service";
import { EnvironmentConfig } from "./types";
import { ServicesStack } from "./services-stack";
import { SERVICES } from "./services";
import { validateEnvironments } from "./validate";
import { WorkloadsStack } from "./workloads-stack";

/** Every environment, in deployment order. Add a new one here (see README, "Adding an environment"). */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [development, staging, production];

/**
 * The stacks of an app: `bootstrap`, `account`, then per environment `<env>`, `<env>-addons` and
 * `<env>-workloads` and `<env>-services` (records keyed by environment name).
 */
export interface Platform {
  readonly bootstrap: BootstrapStack;
  readonly account: AccountStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
  /** `<env>-addons`: namespaces, controller roles, controllers and CRDs (Helm). */
  readonly addons: Readonly<Record<string, AddonsStack>>;
  /** `<env>-workloads`: custom resources and in-cluster objects, after the CRDs exist. */
  readonly workloads: Readonly<Record<string, WorkloadsStack>>;
  /** `<env>-services`: the application services (ECR, IAM roles, their Kubernetes objects), after the workloads. */
  readonly services: Readonly<Record<string, ServicesStack>>;
}

/**
 * Validates the configs, then adds the bootstrap and account stacks and, per environment, its stack
 * and its three Kubernetes stacks (the last one runs `services`, default `SERVICES`) to `app`.
 */
export function buildPlatform(
  app: App,
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  account: AccountConfig = ACCOUNT,
  services: readonly ServiceSpec[] = SERVICES,
): Platform {
  validateEnvironments(environments);
  const bootstrap = new BootstrapStack(app, { costCenter: account.costCenter });
  const accountStack = new AccountStack(app, { config: account });
  accountStack.addDependency(bootstrap);
  const stacks = environments.map((config) => {
    const stack = new EnvironmentStack(app, config);
    stack.addDependency(accountStack);
    const addons = new AddonsStack(app, stack);
    const workloads = new WorkloadsStack(app, stack, addons);
    const servicesStack = new ServicesStack(app, stack, workloads, services);
    return { name: config.name, stack, addons, workloads, services: servicesStack };
  });
  const byName = <T>(pick: (s: (typeof stacks)[number]) => T) => Object.fromEntries(stacks.map((s) => [s.name, pick(s)]));
  return {
    bootstrap,
    account: accountStack,
    environments: byName((s) => s.stack),
    addons: byName((s) => s.addons),
    workloads: byName((s) => s.workloads),
    services: byName((s) => s.services),
  };
}
