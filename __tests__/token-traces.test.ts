import { App, Lazy, TerraformOutput, TerraformStack, Testing, Token } from "cdktf";
import { captureStackTrace } from "cdktf/lib/tokens/private/stack-trace";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";

// __tests__/setup.ts has called skipTokenTraces() in this realm, as main.ts does in the app.
describe("skipTokenTraces", () => {
  it("makes cdktf record no trace for the tokens it creates", () => {
    expect(captureStackTrace()).toEqual([]);
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack).toEqual([]);
    const stack = new TerraformStack(new App(), "traces");
    const parameter = new SsmParameter(stack, "p", { name: "/p", type: "String", value: "v" });
    const reference = Token.asAny(parameter.arn);
    expect(Token.isUnresolved(parameter.arn)).toBe(true);
    expect(reference.creationStack).toEqual([]);
  });

  it("leaves synthesis as it was: references still resolve", () => {
    const stack = new TerraformStack(new App(), "traces");
    const a = new SsmParameter(stack, "a", { name: "/a", type: "String", value: "v" });
    new SsmParameter(stack, "b", { name: "/b", type: "String", value: a.arn });
    new TerraformOutput(stack, "arn", { value: a.arn });
    const doc = JSON.parse(Testing.synth(stack));
    expect(doc.resource.aws_ssm_parameter.b.value).toBe("${aws_ssm_parameter.a.arn}");
    expect(doc.output.arn.value).toBe("${aws_ssm_parameter.a.arn}");
  });

  it("keeps real errors' traces, mapped to the TypeScript source line", () => {
    const error = new Error("boom");
    expect(error.stack).toMatch(/^Error: boom\n\s+at .*token-traces\.test\.ts:28:\d+/);
  });
});

