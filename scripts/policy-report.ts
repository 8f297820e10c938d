/**
 * `npm run policy-report`: synthesizes every stack into cdktf.out/ and writes the guardrails'
 * findings as SARIF 2.1.0 (`reports/guardrails.sarif`, for GitHub code scanning) and as a markdown
 * table of rules, results and suppressions with their reasons, and the service-quota check
 * (`reports/guardrails.md`).
 * Exits 1 when an error-severity violation remains, like `npm run synth`.
 */
process.setSourceMapsEnabled(Boolean(process.env.AIVO_DEBUG));

/* eslint-disable @typescript-eslint/no-require-imports -- every module loads after source maps are set, which imports would precede */
if (!process.env.AIVO_DEBUG) (require("../environments/token-traces") as typeof import("../environments/token-traces")).skipTokenTraces();
const { App } = require("cdktf") as typeof import("cdktf");
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require("fs") as typeof import("fs");
const { join } = require("path") as typeof import("path");
const { synthPlatform } = require("../environments/synth") as typeof import("../environments/synth");
const { Guardrails } = require("../modules/shared/guardrails") as typeof import("../modules/shared/guardrails");
const { jsonLocator, stackArtifact, toMarkdown, toSarif } = require("../modules/shared/guardrails/report") as typeof import("../modules/shared/guardrails/report");
const { quotaMarkdown } = require("../modules/shared/quotas") as typeof import("../modules/shared/quotas");

const root = join(__dirname, "..");
const outDir = join(root, process.env.POLICY_REPORT_DIR ?? "reports");
const app = new App({ outdir: join(root, "cdktf.out") });
const code = synthPlatform(undefined, app);
const results = Guardrails.resultsOf(app);
mkdirSync(outDir, { recursive: true });
const locate = jsonLocator((stack) => {
  const file = join(root, stackArtifact(stack));
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
});
writeFileSync(join(outDir, "guardrails.sarif"), `${JSON.stringify(toSarif(results, undefined, locate), null, 2)}\n`);
writeFileSync(join(outDir, "guardrails.md"), `${toMarkdown(results)}\n${quotaMarkdown(Guardrails.quotaChecksOf(app))}`);
console.error(`policy report: ${join(outDir, "guardrails.sarif")}, ${join(outDir, "guardrails.md")}`);
process.exitCode = results.length ? code : 1;
export {}; // a module, not a global script
