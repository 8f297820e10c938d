import { App } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "./index";
import { EnvironmentConfig } from "./types";

/**
 * Builds and synthesizes the platform. A mistake (configuration or module validation) is reported
 * as one line `error: <environment>.<field>: <value> <rule>` and exit code 1, not a stack trace;
 * set `AIVO_DEBUG=1` to print the trace as well. Returns the process exit code.
 */
export function synthPlatform(
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  app: App = new App(),
  report: (line: string) => void = console.error,
): number {
  try {
    buildPlatform(app, environments);
    app.synth();
    return 0;
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    report(`error: ${err.message}`);
    if (process.env.AIVO_DEBUG) report(err.stack ?? "");
    return 1;
  }
}
