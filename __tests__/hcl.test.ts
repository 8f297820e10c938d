import { execFileSync, spawnSync } from "child_process";
import { Testing, TerraformStack } from "cdktf";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { buildPlatform } from "../environments";
import { PlatformStack } from "../environments/platform-stack";
import { escapeTemplateSequences, hclBody, hclString } from "../modules/shared/hcl";

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
  if (typeof value === "string") return BARE.has(key) ? value.replace(/^\$\{(.*)\}$/s, "$1") : value;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => k !== "//" && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, normalise(v, k)]),
  );
}

async function hclAsJson(stack: TerraformStack): Promise<{ hcl: string; doc: Json }> {
  const hcl = stack.toHclTerraform().hcl;
  return { hcl, doc: normalise((await parseHcl(`${stack.node.id}.tf`, hcl)) as Json) };
}

const platform = buildPlatform(Testing.app());
/** Every stack of the app (the Kubernetes, services and DR stacks too), and the fixture. */
const stacks: TerraformStack[] = [
  ...platform.bootstrap.node.scope!.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack),
  fixtureStack(),
];
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
if (!terraform) console.warn("hcl.test: terraform not on PATH, skipping the `terraform fmt` parse check (hcl2json still parses every stack)");

describe.each(stacks.map((s) => [s.node.id, s] as const))("the HCL of the %s stack", (_name, stack) => {
  let parsed: { hcl: string; doc: Json };
  let json: Json;
  beforeAll(async () => {
    json = normalise(JSON.parse(Testing.synth(stack)) as Json); // also runs the aspects, as synth does
    parsed = await hclAsJson(stack);
  });

  it("declares the same blocks and values as the JSON (parsed with HashiCorp's HCL parser)", () => {
    expect(parsed.doc).toEqual(json);
  });

  (terraform ? it : it.skip)("is accepted by terraform fmt", () => {
    expect(() => execFileSync("terraform", ["fmt", "-write=false", "-"], { input: parsed.hcl, stdio: ["pipe", "pipe", "pipe"] })).not.toThrow();
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
      const text = Testing.synth(stack);
      // `${name:` is never a Terraform expression; unescaped, it fails `terraform plan` in JSON and HCL alike.
      expect([stack.node.id, text.match(/(?<!\$)\$\{[A-Za-z_]\w*:[^}]*\}/g)]).toEqual([stack.node.id, null]);
    }
  });
});

describe("HCL blocks", () => {
  it("keep an empty attribute-as-block list (a security group without egress rules) as `egress = []`", () => {
    const hcl = platform.environments.development.toHclTerraform().hcl;
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
      ['dynamic "ingress" {', '  for_each = "${var.ports}"', "  iterator = port", "  content {", '    from_port = "${port.value}"', "    tags = {", '      a = "b"', "    }", "  }", "}"].join("\n"),
    );
    const parsed = (await parseHcl("d.tf", `resource "x" "y" {\n${body}\n}`)) as any;
    expect(parsed.resource.x.y[0].dynamic.ingress[0].content[0].from_port).toBe("${port.value}");
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
    const { hcl, doc } = await hclAsJson(stacks[stacks.length - 1]);
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
