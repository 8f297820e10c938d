/**
 * The synth-time mirror of the registry's BACKWARD rule for Avro: the schema of version N must read
 * every record written with version N-1. It names each break in words (a field added without a
 * default, a type changed, a required field removed, an enum symbol dropped), and falls back on
 * avsc's own schema resolution (`createResolver`, the Avro specification's rules) for anything the
 * walk below does not name, so a break is never missed.
 */
import { Type, schema as avroTypes } from "avsc";

/** avsc's schema type (its declarations are looser than the JSON a schema file holds). */
type Schema = avroTypes.AvroSchema;

/** An Avro schema as parsed from JSON (a primitive name, a named reference, a union array or a complex object). */
export type AvroSchema = string | AvroSchema[] | AvroObject;

/** A complex Avro type (record, enum, array, map, fixed) or an annotated primitive (`{ "type": "long", "logicalType": … }`). */
export interface AvroObject {
  readonly type: AvroSchema;
  readonly name?: string;
  readonly namespace?: string;
  readonly aliases?: readonly string[];
  readonly fields?: readonly AvroField[];
  readonly symbols?: readonly string[];
  readonly default?: unknown;
  readonly items?: AvroSchema;
  readonly values?: AvroSchema;
  readonly size?: number;
  readonly [key: string]: unknown;
}

interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly default?: unknown;
  readonly aliases?: readonly string[];
}

type Names = Map<string, AvroObject>;
const isObject = (s: AvroSchema | undefined): s is AvroObject => typeof s === "object" && s !== null && !Array.isArray(s);
const isRecord = (s: AvroSchema | undefined): s is AvroObject & { fields: readonly AvroField[] } => isObject(s) && s.type === "record";

/** Avro's legal promotions: a reader of the key's type reads the writer types listed. */
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ["int"],
  float: ["int", "long"],
  double: ["int", "long", "float"],
  string: ["bytes"],
  bytes: ["string"],
};

const PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/** The named types (records, enums, fixed) of a schema by full and short name, for resolving references. */
function namedTypes(schema: AvroSchema, namespace = "", into: Names = new Map()): Names {
  if (Array.isArray(schema)) {
    schema.forEach((s) => namedTypes(s, namespace, into));
  } else if (isObject(schema)) {
    const s = schema;
    if (typeof s.type === "object") namedTypes(s.type, namespace, into);
    if (typeof s.type === "string" && ["record", "enum", "fixed"].includes(s.type) && typeof s.name === "string") {
      const ns = s.name.includes(".") ? s.name.slice(0, s.name.lastIndexOf(".")) : (s.namespace ?? namespace);
      const short = s.name.includes(".") ? s.name.slice(s.name.lastIndexOf(".") + 1) : s.name;
      into.set(ns ? `${ns}.${short}` : short, s);
      into.set(short, s);
      (s.fields ?? []).forEach((f) => namedTypes(f.type, ns, into));
    }
    if (s.type === "array" && s.items !== undefined) namedTypes(s.items, namespace, into);
    if (s.type === "map" && s.values !== undefined) namedTypes(s.values, namespace, into);
  }
  return into;
}

/** A short description of a type for messages: `string`, `enum RunState`, `union [null, string]`, `array<int>`. */
function describe(schema: AvroSchema, names: Names): string {
  const s = resolve(schema, names);
  if (Array.isArray(s)) return `union [${s.map((b) => describe(b, names)).join(", ")}]`;
  if (typeof s === "string") return s;
  if (typeof s.type === "string" && ["record", "enum", "fixed"].includes(s.type)) return `${s.type} ${s.name}`;
  if (s.type === "array") return `array<${describe(s.items ?? "null", names)}>`;
  if (s.type === "map") return `map<${describe(s.values ?? "null", names)}>`;
  return describe(s.type, names);
}

/** Follows a named reference and unwraps `{ "type": "string", "logicalType": … }` to its base. */
function resolve(schema: AvroSchema, names: Names): AvroSchema {
  if (typeof schema === "string") return PRIMITIVES.includes(schema) ? schema : (names.get(schema) ?? schema);
  if (isObject(schema) && typeof schema.type === "string" && PRIMITIVES.includes(schema.type)) return schema.type;
  return schema;
}

interface Side {
  readonly schema: AvroSchema;
  readonly names: Names;
}

/**
 * Every way `reader` fails to read data written with `writer`, as sentences naming the field `at`.
 * Empty when the reader resolves the writer under the Avro rules this walk knows.
 */
function breaks(at: string, writer: Side, reader: Side, out: string[]): void {
  const w = resolve(writer.schema, writer.names);
  const r = resolve(reader.schema, reader.names);
  const changed = (): void => void out.push(`${at} changed type from ${describe(w, writer.names)} to ${describe(r, reader.names)}`);
  if (Array.isArray(w)) {
    // Every branch the writer may have used must be readable.
    w.forEach((branch) => {
      const sub: string[] = [];
      breaks(at, { ...writer, schema: branch }, reader, sub);
      if (sub.length > 0) out.push(`${at} can no longer read the ${describe(branch, writer.names)} branch of ${describe(w, writer.names)} (now ${describe(r, reader.names)})`);
    });
    return;
  }
  if (Array.isArray(r)) {
    const readable = r.some((branch) => {
      const sub: string[] = [];
      breaks(at, writer, { ...reader, schema: branch }, sub);
      return sub.length === 0;
    });
    if (!readable) changed();
    return;
  }
  if (typeof w === "string" || typeof r === "string") {
    if (typeof w === "string" && typeof r === "string" && (w === r || (PROMOTIONS[r] ?? []).includes(w))) return;
    changed();
    return;
  }
  const wo = w;
  const ro = r;
  if (wo.type !== ro.type) {
    changed();
    return;
  }
  switch (ro.type) {
    case "record": {
      const writerFields = wo.fields ?? [];
      for (const field of ro.fields ?? []) {
        const names = [field.name, ...(field.aliases ?? [])];
        const old = writerFields.find((f) => names.includes(f.name));
        if (!old) {
          if (field.default === undefined) out.push(`${at}.${field.name} was added without a default, so records written before it can't be read; give it a default (e.g. make it ["null", …] with default null)`);
          continue;
        }
        breaks(`${at}.${field.name}`, { ...writer, schema: old.type }, { ...reader, schema: field.type }, out);
      }
      return;
    }
    case "enum": {
      const dropped = (wo.symbols ?? []).filter((s) => !(ro.symbols ?? []).includes(s));
      if (dropped.length > 0 && ro.default === undefined) {
        out.push(`${at} (enum ${ro.name}) dropped the symbol(s) ${dropped.join(", ")} without an enum default, so records holding them can't be read; keep them or give the enum a default`);
      }
      return;
    }
    case "array":
      return breaks(`${at}[]`, { ...writer, schema: wo.items ?? "null" }, { ...reader, schema: ro.items ?? "null" }, out);
    case "map":
      return breaks(`${at}{}`, { ...writer, schema: wo.values ?? "null" }, { ...reader, schema: ro.values ?? "null" }, out);
    case "fixed":
      if (wo.size !== ro.size) changed();
      return;
    default:
      return;
  }
}

/** The required fields (no default) of a record schema, `a.b` for nested records, in order. */
function requiredFields(at: string, schema: AvroSchema, names: Names, out: Map<string, true> = new Map()): Map<string, true> {
  const s = resolve(schema, names);
  if (!isRecord(s)) return out;
  for (const field of s.fields) {
    if (field.default !== undefined) continue;
    const path = at ? `${at}.${field.name}` : field.name;
    out.set(path, true);
    requiredFields(path, field.type, names, out);
  }
  return out;
}

/**
 * Why `next` is not a BACKWARD-compatible successor of `previous` (the registry's rule: consumers on
 * `next` read what producers on `previous` wrote), one sentence per break; empty when it is.
 *
 * Stricter than the registry in one point, on purpose: a required field (no default) may not be
 * removed either. A consumer still on `previous` (a lagging deploy, a replay, the DR side) would fail
 * on every new record; make the field optional with a default first, remove it in a later version.
 */
export function backwardBreaks(previous: AvroSchema, next: AvroSchema): string[] {
  const writer = { schema: previous, names: namedTypes(previous) };
  const reader = { schema: next, names: namedTypes(next) };
  const out: string[] = [];
  const root = resolve(previous, writer.names);
  const newRoot = resolve(next, reader.names);
  if (isObject(root) && isObject(newRoot) && root.name !== newRoot.name && !(newRoot.aliases ?? []).includes(root.name ?? "")) {
    out.push(`the record was renamed from ${root.name} to ${newRoot.name} without an alias; keep the name (or add "aliases": ["${root.name}"])`);
  }
  const gone = [...requiredFields("", previous, writer.names).keys()].filter((path) => !requiredOrOptional(path, next, reader.names));
  // Name the outermost field removed, not each of its sub-fields.
  const removed = gone.filter((path) => !gone.some((other) => path.startsWith(`${other}.`)));
  removed.forEach((path) => out.push(`${path} (required) was removed; consumers still on the previous version can't read the new records; give it a default in one version, remove it in a later one`));
  breaks("record", writer, reader, out);
  const named = out.map((m) => m.replace(/^record\./, ""));
  if (named.length === 0) {
    try {
      Type.forSchema(next as Schema).createResolver(Type.forSchema(previous as Schema));
    } catch (error) {
      named.push(`Avro schema resolution fails: ${(error as Error).message}`);
    }
  }
  return [...new Set(named)];
}

/** Whether `path` (`a.b`) names a field of `schema`, with or without a default. */
function requiredOrOptional(path: string, schema: AvroSchema, names: Names): boolean {
  let current: AvroSchema | undefined = schema;
  for (const part of path.split(".")) {
    const s: AvroSchema | undefined = current === undefined ? undefined : resolve(current, names);
    if (!isRecord(s)) return false;
    const field: AvroField | undefined = s.fields.find((f) => f.name === part || (f.aliases ?? []).includes(part));
    if (!field) return false;
    current = field.type;
  }
  return true;
}
