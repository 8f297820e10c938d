import { createHash } from "crypto";

/** One Kafka topic as the platform declares it. */
export interface KafkaTopic {
  /** Partitions (≥ 1). The Job only ever raises the count; Kafka cannot lower it. */
  readonly partitions: number;
  /** Replication factor (≤ brokers, > the cluster's `min.insync.replicas`). Set at creation only. */
  readonly replicationFactor: number;
  /** How long messages are kept: `<n>h`, `<n>d` or `<n>w`, e.g. `7d`. */
  readonly retention: string;
}

/** The topics of the infrastructure document's "Kafka Cluster Configuration". */
export const DOCUMENT_TOPICS: Readonly<Record<string, KafkaTopic>> = {
  spy_control: { partitions: 12, replicationFactor: 3, retention: "7d" },
  "runs.status.v1": { partitions: 6, replicationFactor: 3, retention: "30d" },
  "journal.events": { partitions: 24, replicationFactor: 3, retention: "90d" },
};

/** Kafka's legal topic names: 1-249 of `[a-zA-Z0-9._-]`, not `.` or `..`. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const RETENTION = /^([1-9]\d{0,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `7d` → 604800000; `undefined` when the text is not `<n>h|d|w`. */
export function parseRetentionMs(retention: string): number | undefined {
  const m = RETENTION.exec(retention);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** Throws `<path>.<topic>.<field>: …` for the first topic rule broken. */
export function validateTopics(path: string, topics: Readonly<Record<string, KafkaTopic>>, brokers: number, minInsyncReplicas: number): void {
  for (const [name, t] of Object.entries(topics)) {
    const at = `${path}["${name}"]`;
    if (!TOPIC_NAME.test(name) || name === "." || name === "..") {
      throw new Error(`${at}: "${name}" is not a legal Kafka topic name; use 1-249 letters, digits, ".", "_" and "-" (not "." or "..")`);
    }
    if (!Number.isInteger(t.partitions) || t.partitions < 1) {
      throw new Error(`${at}.partitions: ${t.partitions} must be a whole number ≥ 1`);
    }
    if (!Number.isInteger(t.replicationFactor) || t.replicationFactor < 1 || t.replicationFactor > brokers) {
      throw new Error(`${at}.replicationFactor: ${t.replicationFactor} must be 1..${brokers}, the number of brokers`);
    }
    if (minInsyncReplicas >= t.replicationFactor) {
      throw new Error(
        `${at}.replicationFactor: ${t.replicationFactor} must exceed min.insync.replicas (${minInsyncReplicas}), or one broker down stops every write`,
      );
    }
    if (parseRetentionMs(t.retention) === undefined) {
      throw new Error(`${at}.retention: "${t.retention}" does not parse; use <n>h, <n>d or <n>w, e.g. 7d`);
    }
  }
  const collisions = new Map<string, string>();
  for (const name of Object.keys(topics)) {
    // Kafka refuses topics that differ only in "." vs "_" (metric names collide).
    const key = name.replace(/\./g, "_");
    const other = collisions.get(key);
    if (other) throw new Error(`${path}["${name}"]: collides with "${other}" ("." and "_" are the same in Kafka metric names); rename one`);
    collisions.set(key, name);
  }
}

/** The topic table the Job reads: one line `name partitions replication retention.ms` per topic, sorted by name. */
export function topicSpecLines(topics: Readonly<Record<string, KafkaTopic>>): string {
  return Object.keys(topics)
    .sort()
    .map((name) => `${name} ${topics[name].partitions} ${topics[name].replicationFactor} ${parseRetentionMs(topics[name].retention)}`)
    .join("\n")
    .concat("\n");
}

/** A short, stable hash of the given texts (first 10 hex digits of SHA-256). */
export function specHash(...texts: string[]): string {
  return createHash("sha256").update(texts.join("\0")).digest("hex").slice(0, 10);
}
