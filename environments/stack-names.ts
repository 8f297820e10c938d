// The names of the platform's account-wide stacks, kept free of imports so that tools (the plan
// review) can know them without loading the stacks. An environment's stacks are `<env>` and
// `<env>-<part>` (addons, workloads, services, dr).

/** The stack name: `cdktf deploy bootstrap`. */
export const BOOTSTRAP_STACK = "bootstrap";

/** The stack name: `cdktf deploy account`. */
export const ACCOUNT_STACK = "account";

/** The stacks that belong to no environment, in deploy order. */
export const ACCOUNT_WIDE_STACKS: readonly string[] = [BOOTSTRAP_STACK, ACCOUNT_STACK];

/** True when `stack` is an account-wide stack or one of the given environments' stacks. */
export function isPlatformStack(stack: string, environments: readonly string[]): boolean {
  return ACCOUNT_WIDE_STACKS.includes(stack) || environments.some((env) => stack === env || stack.startsWith(`${env}-`));
}
