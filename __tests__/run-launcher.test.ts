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

  it("keeps V8's code cache of the bundle, and replaces one V8 rejects", () => {
    const bundle = join(root, ".cache", "run", ".cache__test-launcher__entry.cjs");
    run();
    expect(statSync(`${bundle}.v8`).size).toBeGreaterThan(0);
    writeFileSync(`${bundle}.v8`, "not a code cache");
    expect(JSON.parse(run()).data).toBe("beside the module");
    expect(readFileSync(`${bundle}.v8`, "utf8")).not.toBe("not a code cache");
  });

  it("bundles cdktf with the provider bindings: one cdktf, which synthesizes", () => {
    writeFileSync(
      join(dir, "app.ts"),
      [
        'import { App, TerraformStack, Testing } from "cdktf";',
        'import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";',
        'const stack = new TerraformStack(new App(), "one");',
        'const a = new SsmParameter(stack, "a", { name: "/a", type: "String", value: "v" });',
        'new SsmParameter(stack, "b", { name: "/b", type: "String", value: a.arn });',
        "console.log(Testing.synth(stack));",
      ].join("\n"),
    );
    const out = execFileSync(process.execPath, [join(root, "scripts", "run.cjs"), join(dir, "app.ts")], { encoding: "utf8", cwd: root });
    expect(JSON.parse(out).resource.aws_ssm_parameter.b.value).toBe("${aws_ssm_parameter.a.arn}");
    const bundle = readFileSync(join(root, ".cache", "run", ".cache__test-launcher__app.cjs"), "utf8");
    expect(bundle).not.toMatch(/require\("(cdktf|constructs|@cdktf\/provider-aws)[/"]/);
  });
});
