// `npm run modules [dir]`: writes the standalone Terraform modules and environment roots to
// dist/terraform (or `dir`), from the same constructs the stacks deploy (docs/terraform-modules.md).
import { mkdirSync, rmSync, writeFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { terraformTree } from "./terraform-modules";

async function main(): Promise<void> {
  // npm runs scripts from the package root (the script may run bundled, away from its source folder).
  const out = resolve(process.argv[2] ?? join("dist", "terraform"));
  const { files } = await terraformTree();
  rmSync(out, { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  }
  console.log(`wrote ${Object.keys(files).length} files to ${out}`);
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
