import { Rule, block, blocks, isTrue, perResource } from "../engine";

/** The control-plane log types every EKS cluster ships: who called the API and what it did. */
export const REQUIRED_EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator"];

/** Instances, launch templates and EKS. */
export const COMPUTE_RULES: readonly Rule[] = [
  {
    id: "AIVO-IMDSV2",
    severity: "error",
    checkov: ["CKV_AWS_79"],
    message: "EC2 instances and launch templates require IMDSv2, and EKS node groups launch from such a template",
    fix: 'set metadata_options { http_tokens = "required" }; give every aws_eks_node_group a launch_template',
    evaluate: perResource(["aws_instance", "aws_launch_template", "aws_eks_node_group"], (r) => {
      if (r.type === "aws_eks_node_group") return r.config.launch_template === undefined ? "node group without a launch template (IMDSv1 allowed)" : undefined;
      const options = block(r.config.metadata_options);
      if (options.http_endpoint === "disabled") return undefined;
      return options.http_tokens === "required" ? undefined : `http_tokens ${options.http_tokens ?? "optional (default)"}`;
    }),
  },
  {
    id: "AIVO-EKS-LOGGING",
    severity: "error",
    checkov: ["CKV_AWS_37"],
    message: `EKS clusters send ${REQUIRED_EKS_LOG_TYPES.join(", ")} control-plane logs to CloudWatch`,
    fix: `include ${REQUIRED_EKS_LOG_TYPES.join(", ")} in enabled_cluster_log_types`,
    evaluate: perResource(["aws_eks_cluster"], (r) => {
      const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !(r.config.enabled_cluster_log_types ?? []).includes(t));
      return missing.length ? `missing ${missing.join(", ")}` : undefined;
    }),
  },
  {
    id: "AIVO-EKS-DELETION-PROTECTION",
    severity: "error",
    message: "EKS clusters have deletion protection",
    fix: "set deletion_protection = true (eks.deletionProtection), or suppress where the cluster is rebuilt at will",
    evaluate: perResource(["aws_eks_cluster"], (r) => (isTrue(r.config.deletion_protection) ? undefined : "deletion protection off")),
  },
  {
    id: "AIVO-EKS-NO-SSH",
    severity: "error",
    message: "EKS node groups and launch templates have no SSH key pair",
    fix: "remove remote_access / key_name; use SSM Session Manager",
    evaluate: perResource(["aws_eks_node_group", "aws_launch_template"], (r) =>
      blocks(r.config.remote_access).length > 0 || r.config.key_name !== undefined ? "SSH key pair configured" : undefined,
    ),
  },
];
