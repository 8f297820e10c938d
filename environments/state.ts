import type { S3BackendConfig } from "cdktf";
import { Naming } from "../modules/shared/naming";

/**
 * Where Terraform state lives: defined once, read by the bootstrap stack (which creates the bucket,
 * table and key) and by every environment stack's S3 backend.
 *
 * Backend blocks cannot interpolate, so these are literals. S3 bucket names are global: if the
 * bucket name is taken in your partition, change it here, and only here.
 */
export const STATE_BACKEND = {
  /** Region of the state bucket and lock table. */
  region: "us-east-1",
  /** Versioned, CMK-encrypted bucket holding `aivo/<env>/terraform.tfstate` for every environment. */
  bucket: "aivo-platform-terraform-state",
  /** DynamoDB table the S3 backend locks state in (hash key `LockID`). */
  lockTable: "aivo-platform-terraform-locks",
  /** Project slug and pseudo-environment that name the state key's alias: `alias/aivo/bootstrap/terraform-state`. */
  project: "aivo",
  bootstrapEnvironment: "bootstrap",
} as const;


/** The state object key of an environment: `aivo/<environment>/terraform.tfstate`. */
export function stateKey(environment: string): string {
  return `${STATE_BACKEND.project}/${environment}/terraform.tfstate`;
}

/**
 * The S3 backend settings of every stack but `bootstrap`: the shared bucket, the lock table, and the
 * state key's CMK (`encrypt` alone would write SSE-S3; the bucket policy rejects anything but KMS).
 */
export function stateBackendConfig(key: string): S3BackendConfig {
  return {
    bucket: STATE_BACKEND.bucket,
    key,
    region: STATE_BACKEND.region,
    dynamodbTable: STATE_BACKEND.lockTable,
    encrypt: true,
    kmsKeyId: new Naming(STATE_BACKEND.project, STATE_BACKEND.bootstrapEnvironment).kmsAlias("terraform-state"),
  };
}
