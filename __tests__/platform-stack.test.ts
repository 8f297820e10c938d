import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, DataResource } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { PlatformStack } from "../environments/platform-stack";

/** A bare PlatformStack with a `terraform_data` resource (cdktf adds a Terraform-binary version check to it). */
function stackWithVersionCheck(): { stack: PlatformStack } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "aivo-platform-stack-")) });
  const stack = new PlatformStack(app, "probe", { region: "us-east-1", tags: { project: "aivo", environment: "probe", costCenter: "test" } });
  new DataResource(stack, "revision", { input: { revision: 1 } });
  return { stack };
}

describe("PlatformStack validations", () => {
  it("synthesizes without a terraform binary: cdktf's binary version checks are skipped (required_version covers them)", () => {
    const { stack } = stackWithVersionCheck();
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      // What app.synth() runs for every stack before writing it.
      expect(() => stack.runAllValidations()).not.toThrow();
    } finally {
      process.env.PATH = path;
    }
  });

  it("still runs every other validation, naming the construct", () => {
    const { stack } = stackWithVersionCheck();
    const parameter = new SsmParameter(stack, "parameter", { name: "/probe", type: "String", value: "x" });
    parameter.node.addValidation({ validate: () => ["the value is wrong; fix it"] });
    expect(() => stack.runAllValidations()).toThrow("Validation failed with the following errors:\n  [probe/parameter] the value is wrong; fix it");
  });
});
