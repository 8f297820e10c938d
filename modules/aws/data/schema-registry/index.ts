import { existsSync, readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { Type } from "avsc";
import { Construct } from "constructs";
import { GlueRegistry } from "@cdktf/provider-aws/lib/glue-registry";
import { GlueSchema } from "@cdktf/provider-aws/lib/glue-schema";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { AvroSchema, backwardBreaks } from "./compatibility";

export { backwardBreaks } from "./compatibility";
export type { AvroSchema } from "./compatibility";

/** The repository's schema folder: `schemas/<topic>/v<N>.avsc`, one folder per Kafka topic. */
export const SCHEMAS_DIR = resolve(__dirname, "../../../../schemas");
/** The component name of the registry: `aivo-<env>-events`. */
export const SCHEMA_REGISTRY_COMPONENT = "events";
/** The registry's compatibility mode for every schema. */
export const SCHEMA_COMPATIBILITY = "BACKWARD";
/** The fields every event carries (the platform's event model); no version may drop one. */
export const EVENT_ENVELOPE_FIELDS = ["eventId", "time", "runId", "payload"] as const;

/** One version file of a subject. */
export interface SchemaVersionFile {
  /** 1, 2, … from `v<N>.avsc`. */
  readonly version: number;
  /** The file, relative to the repository (for messages). */
  readonly file: string;
  /** The parsed schema. */
  readonly schema: AvroSchema;
}

const VERSION_FILE = /^v([1-9]\d*)\.avsc$/;

/**
 * The registry's name for a topic's schema: the topic with "." as "_" (`runs.status.v1` →
 * `runs_status_v1`); Glue documents schema names as letters, digits, "-", "_", "$" and "#". Kafka
 * refuses topics that differ only in "." and "_", so no two topics share a schema name.
 */
export function schemaNameOf(topic: string): string {
  return topic.replace(/\./g, "_");
}

/** The schema files of `subject` in `dir`, ordered by version; throws when a file is not `v<N>.avsc` or does not parse. */
export function readSchemaVersions(dir: string, subject: string): SchemaVersionFile[] {
  const folder = join(dir, subject);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => {
      // Named as in the repository, wherever `dir` is (tests check copies).
      const file = `schemas/${subject}/${name}`;
      const m = VERSION_FILE.exec(name);
      if (!m) throw new Error(`${file}: not a schema version file; name versions v1.avsc, v2.avsc, …`);
      try {
        return { version: Number(m[1]), file, schema: JSON.parse(readFileSync(join(folder, name), "utf8")) as AvroSchema };
      } catch (error) {
        throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
      }
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * Checks one subject's history: versions numbered 1..N without gaps, each a valid Avro record carrying
 * the event envelope (`EVENT_ENVELOPE_FIELDS`), each BACKWARD compatible with the one before it.
 * Throws `<file>: …` naming the break and the fix.
 */
export function validateSchemaHistory(subject: string, versions: readonly SchemaVersionFile[]): void {
  // The same files are checked by every environment's config validation and its registry: once per content.
  const key = `${subject}\n${JSON.stringify(versions)}`;
  if (!checkedHistories.has(key)) {
    try {
      checkSchemaHistory(subject, versions);
      checkedHistories.set(key, undefined);
    } catch (error) {
      checkedHistories.set(key, error as Error);
    }
  }
  const error = checkedHistories.get(key);
  if (error) throw error;
}

/** What `validateSchemaHistory` found for a subject's files (undefined: none), by subject and content. */
const checkedHistories = new Map<string, Error | undefined>();

function checkSchemaHistory(subject: string, versions: readonly SchemaVersionFile[]): void {
  if (versions.length === 0) {
    throw new Error(`schemas/${subject}: no schema; add schemas/${subject}/v1.avsc (an Avro record with ${EVENT_ENVELOPE_FIELDS.join(", ")})`);
  }
  versions.forEach((v, i) => {
    if (v.version !== i + 1) throw new Error(`${v.file}: version ${v.version} follows v${i}; number versions 1, 2, 3 … without gaps`);
    try {
      Type.forSchema(v.schema as Parameters<typeof Type.forSchema>[0]);
    } catch (error) {
      throw new Error(`${v.file}: not a valid Avro schema (${(error as Error).message})`, { cause: error });
    }
    const record = v.schema as { type?: unknown; fields?: { name: string }[] };
    const missing = EVENT_ENVELOPE_FIELDS.filter((f) => record.type !== "record" || !(record.fields ?? []).some((field) => field.name === f));
    if (missing.length > 0) {
      throw new Error(`${v.file}: the event lacks ${missing.join(", ")}; every event is a record with ${EVENT_ENVELOPE_FIELDS.join(", ")}`);
    }
    if (i === 0) return;
    const found = backwardBreaks(versions[i - 1].schema, v.schema);
    if (found.length > 0) {
      throw new Error(
        `${v.file}: not ${SCHEMA_COMPATIBILITY} compatible with v${i} (consumers on v${v.version} must read what v${i} producers wrote): ${found.join("; ")}. Revert the change, or publish the data under a new topic (e.g. ${subject.replace(/\.v\d+$/, "")}.v2) with its own schema`,
      );
    }
  });
}

export interface SchemaRegistryProps {
  /** Names the registry `aivo-<env>-events`. */
  readonly naming: Naming;
  /** The subjects (Kafka topic names): each needs `schemas/<topic>/v1.avsc`, and the latest version is registered. */
  readonly subjects: readonly string[];
  /** Where the schema folders are. @default SCHEMAS_DIR (the repository's `schemas/`) */
  readonly schemasDir?: string;
}

/**
 * An AWS Glue Schema Registry for the environment's Kafka events: one Avro schema per topic, BACKWARD
 * compatible, registered from the newest `schemas/<topic>/v<N>.avsc`. Each version is checked against
 * the one before it at synth (`validateSchemaHistory`), so a breaking change fails `npm run synth`
 * with the field named before the registry would refuse it at apply.
 */
export class SchemaRegistry extends Construct {
  /** The registry (escape hatch). */
  readonly registry: GlueRegistry;
  /** `aivo-<env>-events`: the serde's `registry.name`. */
  readonly registryName: string;
  readonly registryArn: string;
  /** The schemas by subject (escape hatch). */
  readonly schemas: Readonly<Record<string, GlueSchema>>;
  /** The newest version number of each subject (what the registry holds after apply). */
  readonly latestVersions: Readonly<Record<string, number>>;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    const dir = props.schemasDir ?? SCHEMAS_DIR;
    this.registryName = props.naming.name(SCHEMA_REGISTRY_COMPONENT);
    this.registry = new GlueRegistry(this, "registry", {
      registryName: this.registryName,
      description: `Schemas of the Kafka topics of ${props.naming.prefix} (Avro, ${SCHEMA_COMPATIBILITY})`,
    });
    this.registryArn = this.registry.arn;
    const schemas: Record<string, GlueSchema> = {};
    const latest: Record<string, number> = {};
    for (const subject of props.subjects) {
      const versions = readSchemaVersions(dir, subject);
      validateSchemaHistory(subject, versions);
      const newest = versions[versions.length - 1];
      latest[subject] = newest.version;
      schemas[subject] = new GlueSchema(this, `schema-${subject.replace(/[^a-zA-Z0-9-]/g, "-")}`, {
        registryArn: this.registry.arn,
        schemaName: schemaNameOf(subject),
        dataFormat: "AVRO",
        compatibility: SCHEMA_COMPATIBILITY,
        // A change registers a new version; the registry re-checks compatibility at apply.
        schemaDefinition: JSON.stringify(newest.schema),
        description: `Kafka topic ${subject}: ${newest.file}`,
      });
    }
    this.schemas = schemas;
    this.latestVersions = latest;
  }
}

/** Every subject's history in `dir` checked; throws the first break (for the config validation's collected findings). */
export function validateSchemaSubjects(subjects: readonly string[], dir: string = SCHEMAS_DIR): void {
  subjects.forEach((subject) => validateSchemaHistory(subject, readSchemaVersions(dir, subject)));
}

/**
 * What a producer or consumer of `topic` needs from the registry (AWS Glue "IAM examples for
 * serializers/deserializers"): serializers look a schema version up by its definition on the registry
 * and the topic's schema; deserializers fetch a version by its id, which IAM cannot scope to a
 * schema, hence `*` as AWS documents. Nobody but Terraform registers versions.
 */
export function schemaRegistryReadStatements(context: AwsContext, registryName: string, topic: string, sid: string): PolicyStatement[] {
  return [
    {
      Sid: `ReadSchema${sid}`,
      Action: ["glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaByDefinition", "glue:ListSchemaVersions"],
      Resource: [context.arn("glue", `registry/${registryName}`), context.arn("glue", `schema/${registryName}/${schemaNameOf(topic)}`)],
    },
    { Sid: `ReadSchemaVersion${sid}`, Action: "glue:GetSchemaVersion", Resource: "*" },
  ];
}
