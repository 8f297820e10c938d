import { Construct } from "constructs";
import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { Naming } from "../../../shared/naming";

/** The account's IAM Access Analyzer settings: the `accessAnalyzer` section of `AccountConfig`. */
export interface AccessAnalyzerSettings {
  /**
   * Also run an unused-access analyzer (a paid feature) reporting roles, keys and permissions unused
   * for this many days (1-365). @default no unused-access analyzer
   */
  readonly unusedAccessAgeDays?: number;
}

export interface AccessAnalyzerProps extends AccessAnalyzerSettings {
  /** Names the analyzers `aivo-account-external-access` and `aivo-account-unused-access`. */
  readonly naming: Naming;
}

/**
 * IAM Access Analyzer for the account: an external-access analyzer (type `ACCOUNT`) that reports any
 * resource policy (bucket, key, role trust, topic …) granting access outside the account and, when
 * configured, an unused-access analyzer.
 */
export class AccessAnalyzer extends Construct {
  readonly externalAccess: AccessanalyzerAnalyzer;
  readonly unusedAccess?: AccessanalyzerAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
    const age = props.unusedAccessAgeDays;
    if (age !== undefined && (!Number.isInteger(age) || age < 1 || age > 365)) {
      throw new Error(`${props.naming.environment}.accessAnalyzer.unusedAccessAgeDays: ${age} is outside 1-365 days, the range Access Analyzer accepts`);
    }
    this.externalAccess = new AccessanalyzerAnalyzer(this, "external-access", {
      analyzerName: props.naming.name("external-access"),
      type: "ACCOUNT",
    });
    if (age !== undefined) {
      this.unusedAccess = new AccessanalyzerAnalyzer(this, "unused-access", {
        analyzerName: props.naming.name("unused-access"),
        type: "ACCOUNT_UNUSED_ACCESS",
        configuration: { unusedAccess: { unusedAccessAge: age } },
      });
    }
  }
}
