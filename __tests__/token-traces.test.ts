import { Lazy } from "cdktf";
import { captureStackTrace } from "cdktf/lib/tokens/private/stack-trace";
import { skipTokenTraces } from "../environments/token-traces";

// __tests__/setup.ts has called skipTokenTraces() in this realm, as main.ts does in the app.
describe("skipTokenTraces", () => {
  it("gives the traces cdktf captures for tokens an empty stack", () => {
    expect(captureStackTrace()).toEqual([]);
    const token = Lazy.stringValue({ produce: () => "x" }) as unknown as string;
    expect(token).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  it("keeps real errors' traces, mapped to the TypeScript source line", () => {
    const error = new Error("boom");
    expect(error.stack).toMatch(/^Error: boom\n\s+at .*token-traces\.test\.ts:14:\d+/);
  });

  it("formats real errors as Node does when no formatter was installed before it", () => {
    const installed = Error.prepareStackTrace;
    try {
      delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      skipTokenTraces();
      expect(new TypeError("bad").stack).toMatch(/^TypeError: bad\n {4}at /);
      expect(captureStackTrace()).toEqual([]);
    } finally {
      if (installed) Error.prepareStackTrace = installed;
    }
  });
});
