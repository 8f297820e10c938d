/**
 * Rewrites the generated blocks of docs/compliance.md from the code (environments/compliance-doc.ts).
 *   npm run compliance-doc               # write
 *   npm run compliance-doc -- --check    # exit 1 when stale
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { renderComplianceDoc } from "../environments/compliance-doc";

const file = join(__dirname, "..", "docs", "compliance.md");
const current = readFileSync(file, "utf8");
const rendered = renderComplianceDoc(current);
if (process.argv.includes("--check")) {
  if (rendered !== current) {
    console.error("docs/compliance.md is stale: run npm run compliance-doc");
    process.exit(1);
  }
} else if (rendered !== current) {
  writeFileSync(file, rendered);
}
