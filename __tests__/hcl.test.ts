import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join } from "path";
import { Testing } from "cdktf";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PlatformStack } from "../environments/platform-stack";
import { escapeTemplateSequences, hclBody, hclExpression, hclString, singleInterpolation } from "../modules/shared/hcl";
import { formatHcl } from "../modules/shared/hcl/format";
import { ENVIRONMENTS } from "../environments";
import { platformHcl, synthesizedPlatform } from "./platform";

/** A stack with the shapes the next issues add: Helm values as one JSON string with references, a typed manifest. */
function fixtureStack(): PlatformStack {
  const app = Testing.app();
  const stack = new PlatformStack(app, "fixture", { region: "us-east-1", tags: { project: "aivo", environment: "fixture", costCenter: "x" } });
  const role = new IamRole(stack, "role", {
    name: "aivo-fixture-controller",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    }),
  });
  new CloudwatchEventRule(stack, "rule", { name: "aivo-fixture-every-4h", scheduleExpression: "cron(0 */4 * * ? *)" });
  const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "aivo-fixture-eks"] };
  const helm = new HelmProvider(stack, "helm", { kubernetes: { host: "https://example.eks.amazonaws.com", exec } });
  const kubernetes = new KubernetesProvider(stack, "kubernetes", { host: "https://example.eks.amazonaws.com", exec: [exec] });
  new Release(stack, "controller", {
    provider: helm,
    name: "controller",
    namespace: "kube-system",
    repository: "https://charts.example.com",
    chart: "controller",
    version: "1.2.3",
    values: [
      JSON.stringify({
        serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": role.arn } },
        args: ['--filter="a b"', "C:\\path", "line1\nline2", "$${not-a-reference}", "100%"],
        schedule: "*/5 * * * *",
      }),
    ],
    set: [{ name: "replicaCount", value: "2" }],
  });
  // The shape of a kubernetes_manifest object (kubernetes-models is ESM-only, which this jest setup
  // does not load; issue 10's typed-manifest helper brings it in).
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "default", labels: { "app.kubernetes.io/name": "settings" } },
    data: { "policy.json": JSON.stringify({ Statement: [{ Resource: role.arn }] }), template: "%{if true}yes%{endif}" },
  };
  new Manifest(stack, "settings", { provider: kubernetes, manifest: configMap });
  return stack;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const BARE = new Set(["depends_on", "provider", "ignore_changes", "replace_triggered_by"]);

/**
 * One shape for both syntaxes: no "//" metadata; a list of one object and the object are the same
 * (HCL2JSON writes every block as a list); references of meta-arguments without `${…}`; an empty
 * list of nested blocks is no block (JSON's `"parameter": []` is written as nothing).
 */
function normalise(value: Json, key = ""): Json {
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === "object" && value[0] !== null && !Array.isArray(value[0])) return normalise(value[0], key);
    return value.map((v) => normalise(v, key));
  }
  // A variable's `type` is a type expression, bare in HCL (hcl2json reads it as "${string}").
  if (typeof value === "string") return BARE.has(key) || key === "type" ? value.replace(/^\$\{(.*)\}$/s, "$1") : value;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => k !== "//" && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, normalise(v, k)]),
  );
}

/**
 * The layout of the code inside interpolations set aside: `terraform fmt` rewrites `[ for k, v in x: y]`
 * as `[for k, v in x : y]` and `{"a" = b}` as `{ "a" = b }`. Whitespace is dropped only inside `${…}`,
 * outside the string literals of the expression; literal text is compared as it is.
 */
function withoutExpressionLayout(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutExpressionLayout);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutExpressionLayout(v)]));
  if (typeof value !== "string" || !value.includes("${")) return value;
  let out = "";
  let depth = 0; // braces open inside interpolations
  let quoted = false; // inside a string literal of an expression
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (depth === 0) {
      if (c === "$" && value[i + 1] === "{" && value[i - 1] !== "$") {
        depth = 1;
        out += "${";
        i++;
        continue;
      }
      out += c;
    } else if (quoted) {
      out += c;
      if (c === "\\") out += value[++i] ?? "";
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      out += c;
    } else if (!/\s/.test(c)) {
      if (c === "{") depth++;
      if (c === "}") depth--;
      out += c;
    }
  }
  return out;
}

/** A stack's HCL as `npm run synth:hcl` writes it: rendered, then laid out by Terraform's formatter. */
interface WrittenHcl {
  /** As rendered (modules/shared/hcl), before the formatter. */
  readonly raw: string;
  /** As written to `cdk.tf`. */
  readonly hcl: string;
  /** `hcl` read back by HashiCorp's HCL parser. */
  readonly doc: Json;
}

async function written(name: string, raw: string): Promise<WrittenHcl> {
  const hcl = await formatHcl(raw);
  return { raw, hcl, doc: normalise((await parseHcl(`${name}.tf`, hcl)) as Json) };
}

/** One stack: its JSON and its HCL, rendered from the same synthesis. */
interface StackSyntaxes {
  readonly name: string;
  readonly json: Json;
  readonly raw: string;
}

/**
 * Every stack of the real app (the Kubernetes, services and DR stacks too), from the run's shared
 * synthesis (`__tests__/platform.ts` writes each stack's HCL beside its JSON), and the fixture.
 */
function allStacks(): StackSyntaxes[] {
  const platform = synthesizedPlatform();
  const fixture = fixtureStack();
  const fixtureJson = JSON.parse(Testing.synth(fixture)) as Json; // also runs the aspects, as synth does
  return [
    ...platform.stacks.map((s) => ({ name: s.name, json: platform.docs[s.name] as unknown as Json, raw: platform.hcl[s.name] })),
    { name: fixture.node.id, json: fixtureJson, raw: fixture.toHclTerraform().hcl },
  ];
}

const stacks = allStacks();
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
if (!terraform) console.warn("SKIPPED: hcl.test: terraform not on PATH, no `terraform fmt -check` of the stacks' HCL (hcl2json and hcl-tools' format still check every stack)");

const hclOf = new Map<string, WrittenHcl>();
/** The stacks' files `terraform fmt -check` would rewrite: one run over a folder of every stack's `cdk.tf`. */
let unformatted: string[] = [];

beforeAll(async () => {
  for (const stack of stacks) hclOf.set(stack.name, await written(stack.name, stack.raw));
  if (!terraform) return;
  const dir = mkdtempSync(join(tmpdir(), "aivo-hcl-"));
  try {
    for (const [name, { hcl }] of hclOf) writeFileSync(join(dir, `${name}.tf`), hcl);
    const run = spawnSync("terraform", ["fmt", "-check", "-list=true", dir], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } });
    if (run.status !== 0 && run.status !== 3) throw new Error(`terraform fmt failed: ${run.stderr}`);
    unformatted = run.stdout.split("\n").filter(Boolean).map((file) => basename(file, ".tf"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

describe.each(stacks.map((s) => [s.name, s] as const))("the HCL of the %s stack", (name, stack) => {
  it("declares the same blocks and values as the JSON once laid out by Terraform's formatter (parsed with HashiCorp's HCL parser; only the spacing inside expressions may differ)", () => {
    expect(withoutExpressionLayout(hclOf.get(name)!.doc)).toEqual(withoutExpressionLayout(normalise(stack.json)));
  });

  it("writes references bare, as terraform fmt does (no attribute is a lone \"${…}\")", () => {
    expect(hclOf.get(name)!.raw.match(/^\s*[\w-]+\s*=\s*"\$\{[^"$]*\}"$/gm)).toBeNull();
  });

  (terraform ? it : it.skip)("passes terraform fmt -check", () => {
    expect(unformatted).not.toContain(name);
  });
});

describe("literal text in Terraform strings", () => {
  it("escapes template sequences, leaving cdktf's token placeholders and escaped sequences alone", () => {
    expect(escapeTemplateSequences("${env:POD_IP} ${TfToken[TOKEN.7]} $${done} %{if x} %%{done} ${KAFKA:-/opt}")).toBe(
      "$${env:POD_IP} ${TfToken[TOKEN.7]} $${done} %%{if x} %%{done} $${KAFKA:-/opt}",
    );
  });

  it("never leaves an interpolation Terraform cannot parse in any stack (an OpenTelemetry ${env:…}, a shell ${VAR:-…})", () => {
    for (const stack of stacks) {
      const text = JSON.stringify(stack.json);
      // `${name:` is never a Terraform expression; unescaped, it fails `terraform plan` in JSON and HCL alike.
      expect([stack.name, text.match(/(?<!\$)\$\{[A-Za-z_]\w*:[^}]*\}/g)]).toEqual([stack.name, null]);
    }
  });
});

describe("HCL blocks", () => {
  it("keep an empty attribute-as-block list (a security group without egress rules) as `egress = []`", () => {
    const hcl = platformHcl()[ENVIRONMENTS[0].name]; // an environment's own stack: its database
    const group = /resource "aws_security_group" "database_security-group_[^"]+" \{\n([\s\S]*?)\n\}/.exec(hcl);
    expect(group?.[1]).toMatch(/^\s+egress = \[\]$/m);
  });
});

describe("HCL dynamic blocks", () => {
  it("write JSON's dynamic blocks as `dynamic \"name\" { for_each … content { … } }`", async () => {
    const body = hclBody(
      { dynamic: { ingress: { for_each: "${var.ports}", iterator: "port", content: { from_port: "${port.value}", tags: { a: "b" } } } } },
      { ingress: {} },
    );
    expect(body).toBe(
      ['dynamic "ingress" {', "  for_each = var.ports", "  iterator = port", "  content {", "    from_port = port.value", "    tags = {", '      a = "b"', "    }", "  }", "}"].join("\n"),
    );
    const parsed = (await parseHcl("d.tf", `resource "x" "y" {\n${body}\n}`)) as any;
    expect(parsed.resource.x.y[0].dynamic.ingress[0].content[0].from_port).toBe("${port.value}");
  });
});

describe("HCL references", () => {
  it("write a string that is one interpolation as the bare expression, and leave templates quoted", () => {
    expect(hclExpression("${var.a}")).toBe("var.a");
    expect(hclExpression("${replace(x, \"https://\", \"\")}")).toBe('replace(x, "https://", "")');
    expect(hclExpression(["${aws_subnet.a.id}", "x"])).toBe('[\n  aws_subnet.a.id,\n  "x",\n]');
    expect(hclExpression("arn:${var.p}:iam")).toBe('"arn:${var.p}:iam"');
    expect(hclExpression("${a}-${b}")).toBe('"${a}-${b}"');
    expect(hclExpression("$${literal}")).toBe('"$${literal}"');
    expect(singleInterpolation("${a ?\n b : c}")).toBe("(a ?\n b : c)");
  });
});

describe("HCL strings", () => {
  it("escape literal quotes, backslashes and newlines but keep interpolations verbatim", () => {
    expect(hclString('{"a":"${aws_iam_role.r.arn}"}')).toBe('"{\\"a\\":\\"${aws_iam_role.r.arn}\\"}"');
    expect(hclString('${replace(x, "https://", "")}')).toBe('"${replace(x, "https://", "")}"');
    expect(hclString("a\\b\nc")).toBe('"a\\\\b\\nc"');
    expect(hclString("$${literal} %%{literal}")).toBe('"$${literal} %%{literal}"');
    expect(hclString("cron(0 */4 * * ? *)")).toBe('"cron(0 */4 * * ? *)"');
  });

  it("render policies, blocks and references of the fixture as Terraform expects", async () => {
    const fixture = stacks[stacks.length - 1];
    // The fixture as rendered (before the formatter) reads as exactly the JSON; then as written.
    expect(normalise((await parseHcl("fixture.tf", fixture.raw)) as Json)).toEqual(normalise(fixture.json));
    const { hcl, doc } = hclOf.get(fixture.name)!;
    expect(hcl).toMatch(/^\s+provider = helm$/m);
    expect(hcl).toMatch(/^\s+default_tags \{$/m);
    expect(hcl).toMatch(/^\s+kubernetes = \{$/m); // helm 3: an attribute, not a block
    const release = (doc as any).resource.helm_release.controller;
    const values = JSON.parse(release.values[0].replace("${aws_iam_role.role.arn}", "arn:role"));
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:role");
    expect(values.args).toEqual(['--filter="a b"', "C:\\path", "line1\nline2", "$${not-a-reference}", "100%"]);
    const role = (doc as any).resource.aws_iam_role.role;
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect((doc as any).resource.aws_cloudwatch_event_rule.rule.schedule_expression).toBe("cron(0 */4 * * ? *)");
    expect((doc as any).resource.kubernetes_manifest.settings.manifest.metadata.labels["app.kubernetes.io/name"]).toBe("settings");
  });
});
