/**
 * `npm run cost`: the monthly estimate of every environment (and each of its stacks) from the
 * synthesized stacks, a line per cost driver, against the environment's budget. Offline.
 *
 *   npm run cost                      # synthesizes, prints the tables
 *   npm run cost -- --from cdktf.out  # reads an existing synth output instead
 *   npm run cost -- --write           # also rewrites the generated part of docs/cost.md
 *   npm run cost -- --check           # exits 1 when docs/cost.md is not current (CI)
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ENVIRONMENTS } from "../environments";
import { estimatePlatform } from "../environments/cost";
import { README_MARKERS, costDocument, readmeCostSummary, withGeneratedPart, withMarkedBlock } from "../environments/cost-document";
import { stackTable, usd } from "../modules/shared/cost/report";
import { platformDocuments } from "./platform-documents";

export const COST_DOC = join(__dirname, "..", "docs", "cost.md");
export const README = join(__dirname, "..", "README.md");

const argv = process.argv.slice(2);
const estimate = estimatePlatform(platformDocuments(argv), ENVIRONMENTS);
for (const e of estimate.environments) {
  const budget = e.config.cost.monthlyBudgetUsd;
  console.log(`\n## ${e.config.name}: ${usd(e.totalUsd)}/month against a budget of ${usd(budget)} (${Math.round((e.totalUsd / budget) * 100)} %)\n`);
  for (const f of e.findings) console.log(`${f.severity}: ${f.message}\n`);
  for (const s of e.stacks) console.log([`### ${s.stack}: ${usd(s.totalUsd)}`, "", ...stackTable(s), ""].join("\n"));
}
for (const s of estimate.shared) console.log([`\n## shared: ${s.stack}: ${usd(s.totalUsd)}`, "", ...stackTable(s)].join("\n"));

const current = existsSync(COST_DOC) ? readFileSync(COST_DOC, "utf8") : "# What the platform costs\n";
const wanted = withGeneratedPart(current, costDocument(estimate));
const readme = readFileSync(README, "utf8");
const wantedReadme = withMarkedBlock(readme, README_MARKERS, readmeCostSummary(estimate), "README.md");
if (argv.includes("--write")) {
  writeFileSync(COST_DOC, wanted);
  writeFileSync(README, wantedReadme);
  console.log(`\nwrote ${COST_DOC} and the README's cost summary`);
} else if (argv.includes("--check") && (wanted !== current || wantedReadme !== readme)) {
  console.error(`\nerror: docs/cost.md or the README's cost summary is not current; run \`npm run cost -- --write\` and commit them`);
  process.exitCode = 1;
}
