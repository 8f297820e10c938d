/**
 * The conformance packs AWS publishes (awslabs/aws-config-rules, `aws-config-conformance-packs/`,
 * CC0-1.0), carried as rule manifests (./packs/*.json: source URL, commit and its date, and each
 * AWS-managed rule's name, identifier, scope and the pack's default parameters) and rendered here
 * back into a conformance-pack template. Refresh one with `scripts/conformance-pack.ts`.
 */
import hipaaSecurity from "./packs/hipaa-security.json";
import pciDssV4 from "./packs/pci-dss-v4.json";

/** One AWS-managed Config rule of a pack. */
export interface PackRule {
  readonly name: string;
  readonly identifier: string;
  readonly resourceTypes?: readonly string[];
  readonly parameters?: Readonly<Record<string, string>>;
  readonly maximumExecutionFrequency?: string;
}

/** A carried pack: where it comes from and its rules. */
export interface PackManifest {
  /** The upstream file at the commit it was taken from. */
  readonly source: string;
  readonly commit: string;
  /** The date of that commit (YYYY-MM-DD). */
  readonly date: string;
  readonly rules: readonly PackRule[];
}

/** The carried packs by the name the conformance pack gets (`aivo-account-<name>`). */
export const CONFORMANCE_PACKS = {
  /** Operational Best Practices for HIPAA Security. */
  "hipaa-security": hipaaSecurity as PackManifest,
  /** Operational Best Practices for PCI DSS v4.0 (including global resource types: recorded in this region). */
  "pci-dss-v4": pciDssV4 as PackManifest,
} as const;
export type ConformancePackName = keyof typeof CONFORMANCE_PACKS;

/** `PutConformancePack` accepts a template body of at most 51,200 bytes. */
export const TEMPLATE_BODY_MAX_BYTES = 51200;

/** The pack as a conformance-pack template (JSON, which the YAML parser Config uses reads as YAML). */
export function conformancePackTemplate(name: ConformancePackName): string {
  const pack = CONFORMANCE_PACKS[name];
  const resources = Object.fromEntries(
    pack.rules.map((rule) => [
      // CloudFormation logical ids: alphanumeric.
      rule.name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
      {
        Type: "AWS::Config::ConfigRule",
        Properties: {
          ConfigRuleName: rule.name,
          Source: { Owner: "AWS", SourceIdentifier: rule.identifier },
          ...(rule.resourceTypes ? { Scope: { ComplianceResourceTypes: rule.resourceTypes } } : {}),
          ...(rule.parameters ? { InputParameters: rule.parameters } : {}),
          ...(rule.maximumExecutionFrequency ? { MaximumExecutionFrequency: rule.maximumExecutionFrequency } : {}),
        },
      },
    ]),
  );
  const body = JSON.stringify({ Resources: resources });
  if (Buffer.byteLength(body) > TEMPLATE_BODY_MAX_BYTES) {
    throw new Error(`config.conformancePacks: the ${name} template is ${Buffer.byteLength(body)} bytes, above the ${TEMPLATE_BODY_MAX_BYTES} PutConformancePack accepts; deliver it through template_s3_uri`);
  }
  return body;
}
