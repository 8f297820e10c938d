import { App } from "cdktf";
import { ACCOUNT, AccountConfig } from "./account";
import { AccountStack } from "./account-stack";
import { AddonsStack } from "./addons-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { deriveCiPermissions } from "./ci-permissions";
import { development } from "./development";
import { DrStack } from "./dr-stack";
import { EnvironmentStack } from "./environment-stack";
import { production } from "./production";
import { staging } from "./staging";
import type { ServiceChart } from "../modules/aws/delivery/service";
import { githubSshUrl } from "../modules/kubernetes/gitops";
import { EnvironmentConfig } from "./types";
import { ServicesStack } from "./services-stack";
import { SERVICES } from "./services";
import { ConfigError, ConfigErrors, validateEnvironments } from "./validate";
import { environmentCapacityErrors } from "./capacity";
import { WorkloadsStack } from "./workloads-stack";

/** Every environment, in deployment order. Add a new one here (see docs/environments.md, "Adding an environment"). */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [development, staging, production];

/**
 * The stacks of an app: `bootstrap`, `account`, then per environment `<env>`, `<env>-addons` and
 * `<env>-workloads` and `<env>-services`, and `<env>-dr` where the environment has a `dr` section
 * (records keyed by environment name).
 */
export interface Platform {
  readonly bootstrap: BootstrapStack;
  readonly account: AccountStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
  /** `<env>-addons`: namespaces, controller roles, controllers and CRDs (Helm). */
  readonly addons: Readonly<Record<string, AddonsStack>>;
  /** `<env>-workloads`: custom resources and in-cluster objects, after the CRDs exist. */
  readonly workloads: Readonly<Record<string, WorkloadsStack>>;
  /** `<env>-services`: the application services (ECR, IAM roles, their Argo CD Applications), after the workloads. */
  readonly services: Readonly<Record<string, ServicesStack>>;
  /** The DR stacks (`<env>-dr`) of the environments with a `dr` section, by environment name. */
  readonly dr: Readonly<Record<string, DrStack>>;
}

/**
 * Validates the configs, then adds the bootstrap and account stacks, per environment its stack and its
 * three Kubernetes stacks (the last one runs `services`, default `SERVICES`), and a DR stack
 * (`<env>-dr`, after its environment) where it has a `dr` section.
 */
export function buildPlatform(
  app: App,
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  account: AccountConfig = ACCOUNT,
  services: readonly ServiceChart[] = SERVICES,
): Platform {
  validateEnvironments(environments);
  // Argo CD deploys the service charts from this repository's default branch (docs/shipping-a-service.md).
  const gitops = { repoUrl: githubSshUrl(account.github.repository), targetRevision: account.github.defaultBranch ?? "main" };
  const bootstrap = new BootstrapStack(app, { costCenter: account.costCenter });
  const accountStack = new AccountStack(app, {
    config: account,
    environmentDomains: Object.fromEntries(environments.map((config) => [config.name, config.edge.domain])),
    otherRegions: environments.flatMap((config) => [config.region, ...(config.drRegion ? [config.drRegion] : [])]),
    environmentRegions: Object.fromEntries(environments.map((config) => [config.name, config.region])),
    services: services.map((chart) => chart.spec.name),
    alertMailFromAddresses: [...new Set(environments.flatMap((config) => config.observability.receivers.email?.from ?? []))],
  });
  accountStack.addDependency(bootstrap);
  // A module's own rule that fails stops its environment's stacks only: the other environments are
  // still built, so one run reports the mistakes of all of them.
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
      const addons = new AddonsStack(app, stack);
      const workloads = new WorkloadsStack(app, stack, addons);
      return { name: config.name, stack, addons, workloads, services: new ServicesStack(app, stack, workloads, services, gitops) };
    }),
  );
  // The capacity check (★): each stack's pods on the nodes that exist when it applies, reported with
  // the other mistakes of this run.
  for (const s of stacks) {
    errors.push(...environmentCapacityErrors(s.stack.config, [s.addons, s.workloads, s.services]).map((m) => new ConfigError(m)));
  }
  const dr = stacks.filter((s) => s.stack.config.dr).flatMap((s) => attempt(() => ({ name: s.name, stack: new DrStack(app, s.stack) })));
  const platformDr = (name: string) => dr.filter((d) => d.name === name).map((d) => d.stack);
  // CI's apply role of each environment manages what its stacks synthesize, nothing more.
  for (const s of stacks) {
    const dr = platformDr(s.name);
    attempt(() => deriveCiPermissions(accountStack, s.name, [s.stack, s.addons, s.workloads, s.services, ...dr]));
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  const byName = <S extends { name: string }, T>(list: readonly S[], pick: (s: S) => T) =>
    Object.fromEntries(list.map((s) => [s.name, pick(s)]));
  return {
    bootstrap,
    account: accountStack,
    environments: byName(stacks, (s) => s.stack),
    addons: byName(stacks, (s) => s.addons),
    workloads: byName(stacks, (s) => s.workloads),
    services: byName(stacks, (s) => s.services),
    dr: byName(dr, (s) => s.stack),
  };
}
