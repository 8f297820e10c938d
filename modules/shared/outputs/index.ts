import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";

/** One Terraform output: what `terraform output` shows and what later stacks read through remote state. */
export interface OutputSpec {
  /** The value: a string, number, list or map, usually a token of a resource attribute. */
  readonly value: unknown;
  /** What the value is and who reads it; shown by `terraform output` and in the README's table. */
  readonly description: string;
  /**
   * Whether Terraform hides the value in plan and apply output (secrets, endpoints of private stores).
   * @default false
   */
  readonly sensitive?: boolean;
}

/** Output names: snake_case, so `terraform output <name>` and `data.terraform_remote_state.x.outputs.<name>` read naturally. */
export const OUTPUT_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Declares `outputs` on `scope` (a stack), each under exactly its key: no construct-path prefix or
 * hash, so the names are stable and predictable for remote-state readers. Returns them by name.
 */
export function declareOutputs(scope: Construct, outputs: Readonly<Record<string, OutputSpec>>): Record<string, TerraformOutput> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, spec]) => {
      if (!OUTPUT_NAME.test(name)) throw new Error(`outputs.${name}: not snake_case; use lowercase letters, digits and _ starting with a letter`);
      const output = new TerraformOutput(scope, `output-${name}`, {
        value: spec.value,
        description: spec.description,
        sensitive: spec.sensitive ?? false,
      });
      output.overrideLogicalId(name);
      return [name, output];
    }),
  );
}
