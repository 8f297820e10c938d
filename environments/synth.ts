import { App } from "cdktf";
import { guardrailsFailed, reportGuardrails } from "../modules/guardrails";
import { ENVIRONMENTS, buildPlatform } from "./index";
import { EnvironmentConfig } from "./types";

/**
 * Builds and synthesizes the platform. A mistake (configuration or module validation) is reported
 * as one line `error: <environment>.<field>: <value> <rule>` and exit code 1, not a stack trace;
 * set `AIVO_DEBUG=1` to print the trace as well. Then the guardrails report (`reportGuardrails`):
 * every error and warning of the rule pack to `report`, one summary line per stack to `info`.
 * Returns the process exit code.
 */
export function synthPlatform(
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  app: App = new App(),
  report: (line: string) => void = console.error,
  info: (line: string) => void = console.log,
): number {
  try {
    buildPlatform(app, environments);
    app.synth();
  } catch (error) {
    // Guardrail errors fail app.synth() after every stack is checked; their report follows.
    if (guardrailsFailed(app)) return reportGuardrails(app, report, info);
    const err = error instanceof Error ? error : new Error(String(error));
    report(`error: ${err.message}`);
    if (process.env.AIVO_DEBUG) report(err.stack ?? "");
    return 1;
  }
  return reportGuardrails(app, report, info);
}
