/**
 * Turns one of AWS's published conformance packs (awslabs/aws-config-rules,
 * `aws-config-conformance-packs/*.yaml`) into the rule manifest the Config module deploys
 * (modules/aws/security/config-recorder/packs/<name>.json): each AWS-managed rule's name, identifier,
 * scope and input parameters with the pack's defaults resolved (a parameter whose default is empty
 * is left out, as the pack's `Fn::If … AWS::NoValue` conditions do).
 *
 *   npx tsx scripts/conformance-pack.ts <pack.yaml> <source url> <commit> <commit date> > packs/<name>.json
 *
 * Only rules owned by AWS (managed rules) are accepted: a pack with custom Lambda or Guard rules
 * would need code this repository does not carry, and the script stops on one.
 */
import { readFileSync } from "fs";
import { parse } from "yaml";

interface CfnRule {
  Type: string;
  Properties: {
    ConfigRuleName: string;
    Source: { Owner: string; SourceIdentifier: string };
    Scope?: { ComplianceResourceTypes?: string[] };
    InputParameters?: Record<string, unknown>;
    MaximumExecutionFrequency?: string;
  };
}

const [file, source, commit, date] = process.argv.slice(2);
if (!file || !source || !commit || !date) {
  console.error("usage: tsx scripts/conformance-pack.ts <pack.yaml> <source url> <commit> <commit date>");
  process.exit(2);
}
const pack = parse(readFileSync(file, "utf8")) as { Parameters?: Record<string, { Default?: string }>; Resources: Record<string, CfnRule> };
const defaults = Object.fromEntries(Object.entries(pack.Parameters ?? {}).map(([k, v]) => [k, String(v.Default ?? "")]));

/** `{Fn::If: [cond, {Ref: P}, {Ref: AWS::NoValue}]}` or a literal → the value, or undefined when empty. */
function resolve(value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  const obj = value as Record<string, unknown>;
  if (obj && "Fn::If" in obj) return resolve((obj["Fn::If"] as unknown[])[1]);
  if (obj && "Ref" in obj) {
    const v = defaults[obj.Ref as string];
    if (v === undefined) throw new Error(`unknown parameter ${String(obj.Ref)}`);
    return v === "" ? undefined : v;
  }
  throw new Error(`unsupported input parameter value ${JSON.stringify(value)}`);
}

const rules = Object.values(pack.Resources).map((r) => {
  if (r.Type !== "AWS::Config::ConfigRule" || r.Properties.Source.Owner !== "AWS") {
    throw new Error(`${r.Properties?.ConfigRuleName}: only AWS-managed Config rules are supported (${r.Type}, ${r.Properties?.Source?.Owner})`);
  }
  const p = r.Properties;
  const parameters = Object.fromEntries(
    Object.entries(p.InputParameters ?? {}).flatMap(([k, v]) => {
      const resolved = resolve(v);
      return resolved === undefined ? [] : [[k, resolved]];
    }),
  );
  const resourceTypes = p.Scope?.ComplianceResourceTypes ?? [];
  return {
    name: p.ConfigRuleName,
    identifier: p.Source.SourceIdentifier,
    ...(resourceTypes.length ? { resourceTypes } : {}),
    ...(Object.keys(parameters).length ? { parameters } : {}),
    ...(p.MaximumExecutionFrequency ? { maximumExecutionFrequency: p.MaximumExecutionFrequency } : {}),
  };
});
process.stdout.write(`${JSON.stringify({ source, commit, date, rules }, null, 1)}\n`);
