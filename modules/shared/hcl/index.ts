import { TerraformElement, TerraformStack, Tokenization } from "cdktf";

/**
 * Terraform native syntax (HCL) for a stack, written from the stack's own Terraform JSON.
 *
 * cdktf 0.21's HCL renderer guesses how to print each value: a string that starts with `{` or `[`
 * (every policy document) is printed unquoted, and quotes are not escaped once a string holds a
 * `${`; the result does not parse. This renderer takes the values from `toTerraform()` (the JSON
 * Terraform reads, which is right by construction) and only borrows from cdktf's HCL fragments which
 * keys are nested *blocks* rather than attributes (`versioning_configuration { … }`), something JSON
 * does not say. Every string goes through one escaping routine, whatever the resource, so policy
 * JSON, Helm `values` strings and cron expressions all come out as the same template they are in JSON.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Meta-arguments whose JSON strings are references or keywords, written bare in HCL. */
const BARE_REFERENCE_LISTS = new Set(["depends_on", "ignore_changes", "replace_triggered_by"]);
const BARE_REFERENCES = new Set(["provider"]);
/** Meta blocks: `lifecycle { … }`, `precondition { … }`, `postcondition { … }`. */
const META_BLOCKS = new Set(["lifecycle", "precondition", "postcondition", "connection", "provisioner"]);

/**
 * Nested blocks the AWS provider also accepts as attributes ("attributes as blocks"), where an empty
 * list means something: `egress = []` removes every rule, whereas no `egress` block leaves them alone.
 */
export const ATTRIBUTES_AS_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  "resource.aws_security_group": ["ingress", "egress"],
  "resource.aws_default_security_group": ["ingress", "egress"],
  "resource.aws_network_acl": ["ingress", "egress"],
  "resource.aws_default_network_acl": ["ingress", "egress"],
  "resource.aws_route_table": ["route"],
  "resource.aws_default_route_table": ["route"],
};

/** Index of the `}` that closes the interpolation or directive opened at `start` (its `{`). */
function endOfSequence(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = endOfQuoted(text, i);
    } else if (c === "{") {
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`hcl: unterminated template sequence in ${JSON.stringify(text.slice(0, 120))}`);
}

/** Index of the `"` closing the quoted string (inside an expression) opened at `start`. */
function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
    } else if ((c === "$" || c === "%") && text[i + 1] === "{" ) {
      if (text[i - 1] === c) continue; // `$${` / `%%{`: an escaped, literal sequence
      i = endOfSequence(text, i + 1);
    } else if (c === '"') {
      return i;
    }
  }
  throw new Error(`hcl: unterminated string in ${JSON.stringify(text.slice(0, 120))}`);
}

function escapeLiteral(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped
  return text.replace(/[\\"\u0000-\u001f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/**
 * A JSON string as an HCL quoted template with the same meaning: literal text is escaped
 * (`"` → `\"`, newline → `\n`), interpolations `${…}` and directives `%{…}` are kept verbatim
 * (their own quotes belong to the expression), escaped sequences `$${` / `%%{` stay literal.
 */
export function hclString(text: string): string {
  let out = "";
  let literalStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      i += 2; // literal `$${` / `%%{`, same escape in both syntaxes
      continue;
    }
    if ((c === "$" || c === "%") && text[i + 1] === "{") {
      const end = endOfSequence(text, i + 1);
      out += escapeLiteral(text.slice(literalStart, i)) + text.slice(i, end + 1);
      literalStart = end + 1;
      i = end;
    }
  }
  return `"${out}${escapeLiteral(text.slice(literalStart))}"`;
}

/** `"${aws_vpc.main}"` or `aws_vpc.main` → `aws_vpc.main`. */
function bare(reference: string): string {
  const m = /^\$\{(.*)\}$/s.exec(reference);
  return m ? m[1] : reference;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Words that mean something at the start of an object key or expression; quoted when used as keys. */
const KEYWORDS = new Set(["for", "if", "in", "true", "false", "null"]);

/** An object key: bare when it is a plain identifier (always literal in HCL), quoted otherwise. */
function objectKey(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : hclString(key);
}

function indent(text: string, depth: number): string {
  const pad = "  ".repeat(depth);
  return text
    .split("\n")
    .map((line) => (line ? pad + line : line))
    .join("\n");
}

/**
 * The expression inside a string that is one interpolation and nothing else (`"${var.a}"` → `var.a`),
 * or `undefined`. Terraform evaluates such a template to the expression's own value (unconverted), so
 * writing it bare changes nothing, and it is how `terraform fmt` writes it. A multi-line expression is
 * wrapped in parentheses, as `terraform fmt` does, so it still parses once unquoted.
 */
export function singleInterpolation(text: string): string | undefined {
  if (!text.startsWith("${") || !text.endsWith("}")) return undefined;
  if (endOfSequence(text, 1) !== text.length - 1) return undefined;
  const inner = text.slice(2, -1).trim();
  if (!inner) return undefined;
  return inner.includes("\n") && !(inner.startsWith("(") && inner.endsWith(")")) ? `(${inner})` : inner;
}

/** An HCL expression for a JSON value (an attribute's value, never a block). */
export function hclExpression(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "string") return singleInterpolation(value) ?? hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => indent(hclExpression(v), 1) + ",").join("\n")}\n]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => indent(`${objectKey(k)} = ${hclExpression(v)}`, 1)).join("\n")}\n}`;
}

/**
 * Where the nested blocks are: a tree of block names per element type (`aws_s3_bucket_versioning` →
 * `versioning_configuration` → …), read from cdktf's HCL fragments (`isBlock`).
 */
export interface BlockTree {
  [name: string]: BlockTree;
}

function collectBlocks(attributes: unknown, into: BlockTree): void {
  if (!isObject(attributes)) return;
  for (const [name, raw] of Object.entries(attributes as Record<string, unknown>)) {
    if (!isObject(raw) || !("isBlock" in raw || "is_block" in raw)) continue;
    const wrapper = raw as Record<string, unknown>;
    if (!(wrapper.isBlock || wrapper.is_block)) continue;
    const child = (into[name] ??= {});
    const items = Array.isArray(wrapper.value) ? wrapper.value : [wrapper.value];
    for (const item of items) collectBlocks(item, child);
  }
}

/** In a block tree: every object-valued argument below is a nested block (the binding types the subtree `any`). */
export const ANY_BLOCK = "*";

/**
 * Subtrees the bindings type as `any`, so cdktf's fragments cannot say they are blocks: a WAF rule's
 * `statement` and everything in it (`rate_based_statement { … }`, `field_to_match { uri_path {} }`).
 */
const ALL_BLOCKS: BlockTree = {};
ALL_BLOCKS[ANY_BLOCK] = ALL_BLOCKS;
const UNTYPED_BLOCKS: Readonly<Record<string, (tree: BlockTree) => void>> = {
  "resource.aws_wafv2_web_acl": (tree) => void ((tree.rule ??= {}).statement = ALL_BLOCKS),
  "resource.aws_wafv2_rule_group": (tree) => void ((tree.rule ??= {}).statement = ALL_BLOCKS),
};

/** The block trees of every resource, data source and provider type in `stack`, keyed `resource.<type>` etc. */
export function blockTrees(stack: TerraformStack): Record<string, BlockTree> {
  const trees: Record<string, BlockTree> = {};
  const elements = stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c));
  for (const element of elements) {
    const fragment = (element as unknown as { toHclTerraform?: () => unknown }).toHclTerraform?.();
    if (!isObject(fragment)) continue;
    for (const kind of ["resource", "data"] as const) {
      const byType = (fragment as Record<string, unknown>)[kind];
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        for (const attributes of Object.values(byName as Record<string, unknown>)) {
          collectBlocks(Tokenization.isResolvable(attributes) ? {} : attributes, (trees[`${kind}.${type}`] ??= {}));
        }
      }
    }
    const providers = (fragment as Record<string, unknown>).provider;
    if (isObject(providers)) {
      for (const [type, instances] of Object.entries(providers)) {
        for (const attributes of instances as unknown as unknown[]) collectBlocks(attributes, (trees[`provider.${type}`] ??= {}));
      }
    }
  }
  for (const [key, extend] of Object.entries(UNTYPED_BLOCKS)) if (trees[key]) extend(trees[key]);
  return trees;
}

/** The body of a block: attributes as `name = value`, nested blocks (per `blocks`) as `name { … }`. */
export function hclBody(body: JsonObject, blocks: BlockTree, emptyListAttributes: readonly string[] = []): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === "//") continue;
    if (emptyListAttributes.includes(name) && Array.isArray(value) && value.length === 0) {
      lines.push(`${name} = []`);
      continue;
    }
    if (name === "dynamic" && isObject(value)) {
      // `dynamic "<block>" { for_each = …, iterator = …, content { … } }`
      for (const [blockName, spec] of Object.entries(value)) {
        const { content, ...args } = spec as JsonObject;
        const inner = [hclBody(args, {}), hclBlock(["content"], isObject(content) ? content : {}, blocks[blockName] ?? blocks[ANY_BLOCK] ?? {})]
          .filter(Boolean)
          .join("\n")
          .replace(/^iterator = "(.*)"$/m, "iterator = $1");
        lines.push(`dynamic ${hclString(blockName)} {\n${indent(inner, 1)}\n}`);
      }
    } else if (BARE_REFERENCES.has(name) && typeof value === "string") {
      lines.push(`${name} = ${bare(value)}`);
    } else if (BARE_REFERENCE_LISTS.has(name) && Array.isArray(value)) {
      lines.push(`${name} = [${value.map((v) => (typeof v === "string" ? bare(v) : hclExpression(v))).join(", ")}]`);
    } else if ((blocks[name] || blocks[ANY_BLOCK] || META_BLOCKS.has(name)) && (isObject(value) || (Array.isArray(value) && (!blocks[ANY_BLOCK] || value.every(isObject))))) {
      const tree = blocks[name] ?? blocks[ANY_BLOCK];
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) lines.push(hclBlock([name], isObject(item) ? item : {}, tree ?? {}));
    } else {
      const key = IDENTIFIER.test(name) ? name : hclString(name);
      lines.push(`${key} = ${hclExpression(value)}`);
    }
  }
  return lines.join("\n");
}

/** `<labels…> { body }`; labels after the first are quoted. */
export function hclBlock(labels: string[], body: JsonObject, blocks: BlockTree, emptyListAttributes: readonly string[] = []): string {
  const head = [labels[0], ...labels.slice(1).map((l) => hclString(l))].join(" ");
  const inner = hclBody(body, blocks, emptyListAttributes);
  return inner ? `${head} {\n${indent(inner, 1)}\n}` : `${head} {\n}`;
}

function hclTerraformBlock(terraform: JsonObject): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(terraform)) {
    if (name === "required_providers" && isObject(value)) {
      lines.push(hclBlock(["required_providers"], value, {}));
    } else if (name === "backend" && isObject(value)) {
      for (const [type, config] of Object.entries(value)) lines.push(hclBlock(["backend", type], config as JsonObject, {}));
    } else if (name === "cloud" && isObject(value)) {
      lines.push(hclBlock(["cloud"], value, { workspaces: {} }));
    } else {
      lines.push(`${name} = ${hclExpression(value)}`);
    }
  }
  return `terraform {\n${indent(lines.join("\n"), 1)}\n}`;
}

/**
 * A variable's JSON spec for HCL: its `type` is a type expression (`list(string)`), which JSON
 * writes as a string and HCL bare (a quoted type is an error since Terraform 0.15).
 */
export function variableSpec(spec: JsonObject): JsonObject {
  return typeof spec.type === "string" ? { ...spec, type: `\${${spec.type}}` } : spec;
}

/** The whole stack as one HCL document, from its Terraform JSON `doc` and the block layout of its elements. */
export function renderStackHcl(stack: TerraformStack, doc: JsonObject = stack.toTerraform() as JsonObject): string {
  const trees = blockTrees(stack);
  const parts: string[] = [];
  if (isObject(doc.terraform)) parts.push(hclTerraformBlock(doc.terraform));
  if (isObject(doc.locals) && Object.keys(doc.locals).length) parts.push(hclBlock(["locals"], doc.locals, {}));
  for (const [name, spec] of Object.entries(isObject(doc.variable) ? doc.variable : {})) {
    parts.push(hclBlock(["variable", name], variableSpec(spec as JsonObject), { validation: {} }));
  }
  for (const [type, instances] of Object.entries(isObject(doc.provider) ? doc.provider : {})) {
    for (const instance of instances as JsonObject[]) parts.push(hclBlock(["provider", type], instance, trees[`provider.${type}`] ?? {}));
  }
  for (const kind of ["data", "resource"] as const) {
    const ofKind = doc[kind];
    for (const [type, byName] of Object.entries(isObject(ofKind) ? ofKind : {})) {
      for (const [name, body] of Object.entries(byName as JsonObject)) {
        const key = `${kind}.${type}`;
        parts.push(hclBlock([kind, type, name], body as JsonObject, trees[key] ?? {}, ATTRIBUTES_AS_BLOCKS[key]));
      }
    }
  }
  for (const [name, spec] of Object.entries(isObject(doc.module) ? doc.module : {})) {
    parts.push(hclBlock(["module", name], spec as JsonObject, {}));
  }
  for (const [name, spec] of Object.entries(isObject(doc.output) ? doc.output : {})) {
    parts.push(hclBlock(["output", name], spec as JsonObject, {}));
  }
  for (const kind of ["moved", "import", "removed"]) {
    const blocks = doc[kind];
    if (!Array.isArray(blocks)) continue;
    for (const b of blocks as JsonObject[]) {
      // `to`, `from` (and `provider`) of these blocks are addresses, not strings.
      const lines = Object.entries(b).map(([k, v]) =>
        ["to", "from", "provider"].includes(k) && typeof v === "string" ? `${k} = ${bare(v)}` : `${k} = ${hclExpression(v)}`,
      );
      parts.push(`${kind} {\n${indent(lines.join("\n"), 1)}\n}`);
    }
  }
  return parts.join("\n\n") + "\n";
}

/**
 * Escapes Terraform's template sequences (`${`, `%{`) in literal text that goes into a Terraform string:
 * a Helm values document, a script in a ConfigMap. Terraform (JSON and HCL alike) would otherwise read
 * an OpenTelemetry `${env:POD_IP}` or a shell's `${VAR:-default}` as an interpolation and fail to plan.
 * cdktf's own token placeholders (`${TfToken[…]}`) are left alone, so references resolved later still
 * interpolate, and sequences already escaped (`$${`, `%%{`) are not escaped twice.
 */
export function escapeTemplateSequences(text: string): string {
  return text.replace(/(?<!\$)\$\{(?!TfToken\[)/g, "$$${").replace(/(?<!%)%\{/g, "%%{");
}
