import { silenceArchivedCdktfDeprecations } from "../environments/node-warnings";

describe("silenceArchivedCdktfDeprecations", () => {
  it("drops cdktf's util.isArray deprecation (DEP0044) and passes every other warning on", () => {
    const original = process.emitWarning;
    const passed: unknown[][] = [];
    process.emitWarning = ((...args: unknown[]) => void passed.push(args)) as typeof process.emitWarning;
    try {
      silenceArchivedCdktfDeprecations();
      silenceArchivedCdktfDeprecations(); // idempotent: one filter
      process.emitWarning("The `util.isArray` API is deprecated.", "DeprecationWarning", "DEP0044");
      process.emitWarning("util.isArray", { type: "DeprecationWarning", code: "DEP0044" });
      process.emitWarning(Object.assign(new Error("util.isArray"), { code: "DEP0044" }));
      process.emitWarning("something else", "DeprecationWarning", "DEP0999");
      process.emitWarning("a plain warning");
    } finally {
      process.emitWarning = original;
    }
    expect(passed).toEqual([["something else", "DeprecationWarning", "DEP0999"], ["a plain warning"]]);
  });
});
