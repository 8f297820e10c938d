/** Small readers over synthesized Terraform JSON, shared by the test files. */

/** The synthesized document of `Testing.synthScope`/`Testing.synth`, parsed. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, Record<string, any>[]>;
  terraform?: Record<string, any>;
  output?: Record<string, any>;
}

export function parse(synthesized: string): TerraformJson {
  return JSON.parse(synthesized) as TerraformJson;
}

/** Every resource of `type`, keyed by its logical id; `{}` when there is none. */
export function resourcesOf(synthesized: string | TerraformJson, type: string): Record<string, Record<string, any>> {
  const doc = typeof synthesized === "string" ? parse(synthesized) : synthesized;
  return doc.resource?.[type] ?? {};
}

/** The configurations of every resource of `type`, in synthesis order. */
export function configsOf(synthesized: string | TerraformJson, type: string): Record<string, any>[] {
  return Object.values(resourcesOf(synthesized, type));
}

/** The single resource of `type`; fails the test when there are none or several. */
export function onlyResource(synthesized: string | TerraformJson, type: string): Record<string, any> {
  const all = configsOf(synthesized, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Parses a JSON policy string (key, bucket, topic, trust or IAM policy). */
export function policy(json: string): { Version: string; Statement: Record<string, any>[] } {
  return JSON.parse(json);
}

/** A bucket name without its account-id suffix (every bucket has one: AIVO-S3-ACCOUNT-SCOPED-NAME). */
export function withoutAccount(bucket: string): string {
  return bucket.replace(/-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/, "");
}
