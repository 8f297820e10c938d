import { Rule, block, isTrue, perResource } from "../engine";

/** Audit trails and image registries (account-level resources other modules add). */
export const AUDIT_RULES: readonly Rule[] = [
  {
    id: "AIVO-CLOUDTRAIL-INTEGRITY",
    severity: "error",
    checkov: ["CKV_AWS_36"],
    message: "CloudTrail trails validate their log files (a digest per hour proves nothing was altered or deleted)",
    fix: "set enable_log_file_validation = true",
    evaluate: perResource(["aws_cloudtrail"], (r) => (isTrue(r.config.enable_log_file_validation) ? undefined : "log file validation off")),
  },
  {
    id: "AIVO-ECR-IMAGES",
    severity: "warning",
    checkov: ["CKV_AWS_51", "CKV_AWS_163"],
    message: "ECR repositories keep tags immutable and scan images on push",
    fix: 'set image_tag_mutability = "IMMUTABLE" and image_scanning_configuration { scan_on_push = true } (or enhanced scanning for the registry)',
    evaluate: perResource(["aws_ecr_repository"], (r) => {
      const problems: string[] = [];
      if (!String(r.config.image_tag_mutability ?? "MUTABLE").startsWith("IMMUTABLE")) problems.push("mutable tags");
      if (!isTrue(block(r.config.image_scanning_configuration).scan_on_push)) problems.push("no scan on push");
      return problems.length ? problems.join("; ") : undefined;
    }),
  },
];
