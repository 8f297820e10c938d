import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "fs";
import { join } from "path";

/**
 * Terraform's canonical layout for an HCL document (aligned `=`, two-space indent, one blank line
 * between blocks), by HashiCorp's own formatter (`hclwrite.Format`, the code behind `terraform fmt`)
 * compiled to WebAssembly in `@cdktf/hcl-tools`. The renderer (./index.ts) already writes references
 * bare, the other half of what `terraform fmt -check` asks for. Rejects when the text does not parse.
 */
export async function formatHcl(text: string): Promise<string> {
  return formatter()(text);
}

let format: ((text: string) => Promise<string>) | undefined;
/**
 * `@cdktf/hcl-tools` compiles and starts its WebAssembly module as soon as it is loaded: it is loaded
 * on the first use, so the JSON synthesis (`cdktf deploy`) never pays for it.
 */
function formatter(): (text: string) => Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  format ??= (require("@cdktf/hcl-tools") as typeof import("@cdktf/hcl-tools")).format;
  return format;
}

/** Every `.tf` file under `dir`, recursively, sorted. */
export function terraformFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...terraformFiles(path));
    else if (entry.endsWith(".tf")) files.push(path);
  }
  return files;
}

/**
 * Formats, in place, every `.tf` file under `dir` (the stacks `npm run synth:hcl` wrote: cdktf writes
 * them synchronously, the formatter is asynchronous, so this runs right after synthesis). Returns the
 * files it changed.
 */
export async function formatHclFiles(dir: string): Promise<string[]> {
  const changed: string[] = [];
  for (const file of terraformFiles(dir)) {
    const text = readFileSync(file, "utf8");
    const formatted = await formatHcl(text);
    if (formatted !== text) {
      writeFileSync(file, formatted);
      changed.push(file);
    }
  }
  return changed;
}
