import { execFileSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { join } from "path";

// scripts/run.cjs: npm run synth and the cdktf CLI run main.ts through it, as one cached bundle.
const root = join(__dirname, "..");
const dir = join(root, ".cache", "test-launcher");
const run = () => execFileSync(process.execPath, [join(root, "scripts", "run.cjs"), join(dir, "entry.ts"), "--flag", "x"], { encoding: "utf8", cwd: root });

describe("scripts/run.cjs", () => {
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "lib"), { recursive: true });
    writeFileSync(join(dir, "lib", "data.txt"), "beside the module\n");
    writeFileSync(
      join(dir, "lib", "reader.ts"),
      'import { readFileSync } from "fs";\nimport { join } from "path";\nexport const where: string = __dirname;\nexport const data = (): string => readFileSync(join(__dirname, "data.txt"), "utf8").trim();\nexport const VERSION = 1;\n',
    );
    writeFileSync(
      join(dir, "entry.ts"),
      'import { VERSION, data, where } from "./lib/reader";\nconsole.log(JSON.stringify({ where, data: data(), version: VERSION, argv: process.argv.slice(2) }));\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs a TypeScript entry with its arguments, each file keeping its own __dirname", () => {
    expect(JSON.parse(run())).toEqual({ where: join(dir, "lib"), data: "beside the module", version: 1, argv: ["--flag", "x"] });
    expect(existsSync(join(root, ".cache", "run", ".cache__test-launcher__entry.cjs"))).toBe(true);
  });

  it("rebuilds when a source file changes, and only then", () => {
    const bundle = join(root, ".cache", "run", ".cache__test-launcher__entry.cjs");
    run();
    const stamp = new Date(2000, 0, 1);
    utimesSync(bundle, stamp, stamp); // marks the bundle; a rebuild would rewrite it
    run();
    expect(statSync(bundle).mtimeMs).toBe(stamp.getTime());
    writeFileSync(join(dir, "lib", "reader.ts"), readFileSync(join(dir, "lib", "reader.ts"), "utf8").replace("VERSION = 1", "VERSION = 2"));
    expect(JSON.parse(run()).version).toBe(2);
  });
});
