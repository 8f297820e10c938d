import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DOCUMENT_TOPICS, kafkaTopicStatements } from "../modules/aws/data/kafka";
import {
  AvroSchema,
  EVENT_ENVELOPE_FIELDS,
  SCHEMAS_DIR,
  SchemaRegistry,
  backwardBreaks,
  readSchemaVersions,
  schemaNameOf,
  validateSchemaHistory,
  validateSchemaSubjects,
} from "../modules/aws/data/schema-registry";
import { AwsContext } from "../modules/shared/aws-context";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse } from "./helpers";

const naming = new Naming("aivo", "test");
const topics = Object.keys(DOCUMENT_TOPICS);
const latest = (topic: string) => {
  const versions = readSchemaVersions(SCHEMAS_DIR, topic);
  return versions[versions.length - 1];
};
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
type Record_ = { type: "record"; name: string; fields: { name: string; type: any; default?: unknown }[] };

describe("the repository's event schemas (schemas/<topic>/v<N>.avsc)", () => {
  it.each(topics)("%s: every version is a valid Avro event with the envelope, each BACKWARD compatible with the one before", (topic) => {
    const versions = readSchemaVersions(SCHEMAS_DIR, topic);
    expect(versions.length).toBeGreaterThan(0);
    expect(() => validateSchemaHistory(topic, versions)).not.toThrow();
    const fields = (latest(topic).schema as Record_).fields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining([...EVENT_ENVELOPE_FIELDS]));
  });
});

describe("SchemaRegistry (modules/aws/data/schema-registry)", () => {
  const doc = parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new SchemaRegistry(scope, "registry", { naming, subjects: topics });
    }),
  );

  it("registers the newest version of each topic's schema, Avro, BACKWARD, in the environment's registry", () => {
    expect(onlyResource(doc, "aws_glue_registry").registry_name).toBe("aivo-test-events");
    const schemas = configsOf(doc, "aws_glue_schema");
    expect(schemas.map((s) => s.schema_name).sort()).toEqual(topics.map(schemaNameOf).sort());
    for (const topic of topics) {
      const schema = schemas.find((s) => s.schema_name === schemaNameOf(topic))!;
      expect(schema).toMatchObject({ data_format: "AVRO", compatibility: "BACKWARD", registry_arn: expect.stringContaining("aws_glue_registry.") });
      expect(JSON.parse(schema.schema_definition)).toEqual(latest(topic).schema);
    }
    expect(schemaNameOf("runs.status.v1")).toBe("runs_status_v1");
  });

  it("lets producers and consumers read their topic's schema and use their topic, nothing more", () => {
    const context = { arn: (service: string, resource: string) => `arn:aws:${service}:us-east-1:111122223333:${resource}` } as AwsContext;
    const consumer = kafkaTopicStatements(context, naming, "runs.status.v1", "consume", "journal-svc", 0);
    const sids = consumer.map((s) => s.Sid);
    expect(sids).toEqual(["KafkaConnect0", "KafkaConsume0", "KafkaGroup0", "ReadSchema0", "ReadSchemaVersion0"]);
    expect(consumer.find((s) => s.Sid === "KafkaConsume0")).toMatchObject({
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: "arn:aws:kafka:us-east-1:111122223333:topic/aivo-test-kafka/*/runs.status.v1",
    });
    expect(consumer.find((s) => s.Sid === "KafkaGroup0")!.Resource).toBe("arn:aws:kafka:us-east-1:111122223333:group/aivo-test-kafka/*/journal-svc");
    expect(consumer.find((s) => s.Sid === "ReadSchema0")!.Resource).toEqual([
      "arn:aws:glue:us-east-1:111122223333:registry/aivo-test-events",
      "arn:aws:glue:us-east-1:111122223333:schema/aivo-test-events/runs_status_v1",
    ]);
    const producer = kafkaTopicStatements(context, naming, "spy_control", "produce", "runs-svc", 1);
    expect(producer.find((s) => s.Sid === "KafkaProduce1")!.Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
    expect(producer.some((s) => s.Sid?.startsWith("KafkaGroup"))).toBe(false);
    // Nobody but Terraform registers schemas.
    expect([...consumer, ...producer].flatMap((s) => [s.Action].flat())).not.toEqual(expect.arrayContaining(["glue:RegisterSchemaVersion"]));
  });
});

describe("the BACKWARD compatibility check", () => {
  const v1 = readSchemaVersions(SCHEMAS_DIR, "runs.status.v1")[0].schema as Record_;
  const changed = (edit: (s: Record_) => void): AvroSchema => {
    const next = clone(v1);
    edit(next);
    return next;
  };

  it("accepts what BACKWARD allows: a new optional field, a widened type, a new enum symbol", () => {
    expect(backwardBreaks(v1, changed((s) => s.fields.push({ name: "region", type: ["null", "string"], default: null })))).toEqual([]);
    expect(backwardBreaks(v1, changed((s) => (s.fields.find((f) => f.name === "source")!.type = ["null", "string"])))).toEqual([]);
    const widened = { type: "record", name: "R", fields: [{ name: "eventId", type: "string" }, { name: "n", type: "int" }] };
    expect(backwardBreaks(widened, { ...widened, fields: [widened.fields[0], { name: "n", type: "long" }] })).toEqual([]);
  });

  it.each<[string, (s: Record_) => void, string]>([
    ["a changed type", (s) => (s.fields.find((f) => f.name === "runId")!.type = "long"), "runId changed type from string to long"],
    ["a removed required field", (s) => (s.fields = s.fields.filter((f) => f.name !== "source")), "source (required) was removed"],
    ["a required field added without a default", (s) => s.fields.push({ name: "tenantId", type: "string" }), "tenantId was added without a default"],
    [
      "a changed nested type",
      (s) => (s.fields.find((f) => f.name === "payload")!.type.fields[0].type = "string"),
      "payload.status changed type from enum RunState to string",
    ],
    ["a renamed record", (s) => (s.name = "RunState2"), "the record was renamed from RunStatusChanged to RunState2"],
  ])("catches %s", (_what, edit, message) => {
    expect(backwardBreaks(v1, changed(edit)).join("; ")).toContain(message);
  });

  it("fails a breaking schema file in the repository's layout with the file, the rule and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemas-"));
    try {
      cpSync(join(SCHEMAS_DIR, "runs.status.v1"), join(dir, "runs.status.v1"), { recursive: true });
      const v2 = changed((s) => (s.fields.find((f) => f.name === "runId")!.type = "long"));
      writeFileSync(join(dir, "runs.status.v1", "v2.avsc"), JSON.stringify(v2));
      expect(() => validateSchemaSubjects(["runs.status.v1"], dir)).toThrow(
        "schemas/runs.status.v1/v2.avsc: not BACKWARD compatible with v1 (consumers on v2 must read what v1 producers wrote): runId changed type from string to long. Revert the change, or publish the data under a new topic (e.g. runs.status.v2) with its own schema",
      );
      // The registry construct runs the same check, so `npm run synth` fails on it too.
      expect(() =>
        Testing.synthScope((scope) => {
          new AwsProvider(scope, "aws", { region: "us-east-1" });
          new SchemaRegistry(scope, "registry", { naming, subjects: ["runs.status.v1"], schemasDir: dir });
        }),
      ).toThrow("runId changed type from string to long");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, (dir: string) => void, string]>([
    ["a topic without schemas", () => undefined, "schemas/no.such.topic: no schema; add schemas/no.such.topic/v1.avsc"],
    ["a gap in the versions", (dir) => writeFileSync(join(dir, "no.such.topic", "v3.avsc"), JSON.stringify(v1)), "version 3 follows v1; number versions 1, 2, 3"],
    ["a file not named v<N>.avsc", (dir) => writeFileSync(join(dir, "no.such.topic", "latest.avsc"), "{}"), "latest.avsc: not a schema version file"],
    ["a file that is not JSON", (dir) => writeFileSync(join(dir, "no.such.topic", "v2.avsc"), "{ nope"), "v2.avsc: not JSON"],
    ["an invalid Avro schema", (dir) => writeFileSync(join(dir, "no.such.topic", "v2.avsc"), JSON.stringify({ ...v1, fields: [{ name: "x", type: "strin" }] })), "v2.avsc: not a valid Avro schema"],
    [
      "an event without the envelope",
      (dir) => writeFileSync(join(dir, "no.such.topic", "v2.avsc"), JSON.stringify({ ...v1, fields: v1.fields.filter((f) => f.name !== "runId") })),
      "v2.avsc: the event lacks runId; every event is a record with eventId, time, runId, payload",
    ],
  ])("rejects %s", (what, setUp, message) => {
    const dir = mkdtempSync(join(tmpdir(), "schemas-"));
    try {
      if (what !== "a topic without schemas") {
        cpSync(join(SCHEMAS_DIR, "runs.status.v1"), join(dir, "no.such.topic"), { recursive: true });
        setUp(dir);
      }
      expect(() => validateSchemaSubjects(["no.such.topic"], dir)).toThrow(message);
      // Checked once per content: asking again (the registry after the config validation) reports it again.
      expect(() => validateSchemaSubjects(["no.such.topic"], dir)).toThrow(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the checked-in journal.events v2 (traceId added with a default) a valid successor of v1", () => {
    const [first, second] = readSchemaVersions(SCHEMAS_DIR, "journal.events");
    expect(second.version).toBe(2);
    expect(backwardBreaks(first.schema, second.schema)).toEqual([]);
    expect(readFileSync(join(SCHEMAS_DIR, "journal.events", "v2.avsc"), "utf8")).toContain('"traceId"');
  });
});
