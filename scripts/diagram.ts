/**
 * `npm run diagram`: writes docs/diagrams/<environment>.svg (production's with its DR region) and
 * docs/diagrams/<env>-dr.svg from the synthesized stacks, rendered by Graphviz (WebAssembly). Offline.
 *
 *   npm run diagram                      # synthesizes, writes the SVGs
 *   npm run diagram -- --from cdktf.out  # reads an existing synth output instead
 *   npm run diagram -- --check           # exits 1 when a checked-in SVG is not current (CI)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ENVIRONMENTS } from "../environments";
import { diagramEnvironments } from "../environments/diagram-environments";
import { diagramSources, renderSvgs } from "./diagram/render";
import { platformDocuments } from "./platform-documents";

export const DIAGRAM_DIR = join(__dirname, "..", "docs", "diagrams");

async function main(argv: readonly string[]): Promise<number> {
  const svgs = await renderSvgs(diagramSources(platformDocuments(argv), diagramEnvironments(ENVIRONMENTS)));
  const stale = Object.entries(svgs).filter(([file, svg]) => !existsSync(join(DIAGRAM_DIR, file)) || readFileSync(join(DIAGRAM_DIR, file), "utf8") !== svg);
  if (argv.includes("--check")) {
    for (const [file] of stale) console.error(`error: docs/diagrams/${file} is not current; run \`npm run diagram\` and commit it`);
    return stale.length ? 1 : 0;
  }
  mkdirSync(DIAGRAM_DIR, { recursive: true });
  for (const [file, svg] of Object.entries(svgs)) writeFileSync(join(DIAGRAM_DIR, file), svg);
  console.log(`wrote ${Object.keys(svgs).map((f) => `docs/diagrams/${f}`).join(", ")} (${stale.length} changed)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  },
);
