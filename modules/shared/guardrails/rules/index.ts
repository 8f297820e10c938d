import { Rule } from "../engine";
import { AUDIT_RULES } from "./audit";
import { COMPUTE_RULES } from "./compute";
import { DATA_STORE_RULES } from "./data-stores";
import { EDGE_RULES } from "./edge";
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { LOGGING_RULES } from "./logging";
import { NETWORK_RULES } from "./network";
import { PLATFORM_RULES } from "./platform";
import { S3_AND_RESOURCE_POLICY_RULES } from "./s3-and-resource-policies";

/** The rule pack every PlatformStack is checked against, in report order. */
export const RULES: readonly Rule[] = [
  ...ENCRYPTION_RULES,
  ...S3_AND_RESOURCE_POLICY_RULES,
  ...LOGGING_RULES,
  ...NETWORK_RULES,
  ...IAM_RULES,
  ...COMPUTE_RULES,
  ...DATA_STORE_RULES,
  ...EDGE_RULES,
  ...AUDIT_RULES,
  ...PLATFORM_RULES,
];
