/**
 * What CI may do, derived from the code: which IAM service manages each Terraform resource type the
 * stacks synthesize, and which API each data source calls at plan time. The apply role's policy is
 * built from the resource types an environment's stacks actually contain (`applyStatements`); a
 * type missing here stops synthesis with the fix, so a stack can't gain a resource the apply role
 * can't manage without someone deciding its permissions.
 */
import { PolicyStatement } from "../../../shared/iam";

/**
 * Terraform AWS resource type → the IAM service prefixes its create, update and delete calls use
 * (provider 6.25's resource implementation; the AWS Service Authorization Reference names the
 * prefixes). Kubernetes and Helm resources call the cluster, not AWS, and are not listed.
 */
export const RESOURCE_TYPE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  aws_accessanalyzer_analyzer: ["access-analyzer"],
  aws_acm_certificate: ["acm"],
  aws_acm_certificate_validation: ["acm"],
  aws_appautoscaling_policy: ["application-autoscaling", "cloudwatch"],
  aws_appautoscaling_target: ["application-autoscaling"],
  aws_autoscaling_schedule: ["autoscaling"],
  aws_backup_plan: ["backup"],
  aws_backup_restore_testing_plan: ["backup"],
  aws_backup_restore_testing_selection: ["backup"],
  aws_backup_selection: ["backup"],
  aws_backup_vault: ["backup", "backup-storage"],
  aws_backup_vault_policy: ["backup"],
  aws_budgets_budget: ["budgets"],
  aws_ce_anomaly_monitor: ["ce"],
  aws_ce_anomaly_subscription: ["ce"],
  aws_cloudfront_cache_policy: ["cloudfront"],
  aws_cloudfront_distribution: ["cloudfront"],
  aws_cloudfront_origin_access_control: ["cloudfront"],
  aws_cloudfront_origin_request_policy: ["cloudfront"],
  aws_cloudfront_response_headers_policy: ["cloudfront"],
  aws_cloudtrail: ["cloudtrail"],
  aws_cloudwatch_event_rule: ["events"],
  aws_cloudwatch_event_target: ["events"],
  aws_cloudwatch_log_delivery: ["logs"],
  aws_cloudwatch_log_delivery_destination: ["logs"],
  aws_cloudwatch_log_delivery_source: ["logs"],
  aws_cloudwatch_log_group: ["logs"],
  aws_cloudwatch_log_resource_policy: ["logs"],
  aws_cloudwatch_metric_alarm: ["cloudwatch"],
  aws_cognito_identity_pool: ["cognito-identity"],
  aws_cognito_identity_pool_roles_attachment: ["cognito-identity"],
  aws_config_configuration_recorder: ["config"],
  aws_config_configuration_recorder_status: ["config"],
  aws_config_conformance_pack: ["config"],
  aws_config_delivery_channel: ["config"],
  aws_config_retention_configuration: ["config"],
  aws_db_instance: ["rds"],
  aws_db_parameter_group: ["rds"],
  aws_db_subnet_group: ["rds"],
  aws_default_security_group: ["ec2"],
  aws_dynamodb_table: ["dynamodb"],
  aws_ecr_lifecycle_policy: ["ecr"],
  aws_ecr_registry_scanning_configuration: ["ecr"],
  aws_ecr_replication_configuration: ["ecr"],
  aws_ecr_repository_creation_template: ["ecr"],
  aws_ecr_repository: ["ecr"],
  aws_efs_access_point: ["elasticfilesystem"],
  aws_efs_backup_policy: ["elasticfilesystem"],
  aws_efs_file_system: ["elasticfilesystem"],
  aws_efs_file_system_policy: ["elasticfilesystem"],
  aws_efs_mount_target: ["elasticfilesystem", "ec2"],
  aws_eip: ["ec2"],
  aws_eks_access_entry: ["eks"],
  aws_eks_access_policy_association: ["eks"],
  aws_eks_addon: ["eks"],
  aws_eks_cluster: ["eks", "ec2"],
  aws_eks_fargate_profile: ["eks"],
  aws_eks_node_group: ["eks", "ec2", "autoscaling"],
  aws_elasticache_parameter_group: ["elasticache"],
  aws_elasticache_replication_group: ["elasticache", "ec2"],
  aws_elasticache_subnet_group: ["elasticache"],
  aws_fis_experiment_template: ["fis"],
  aws_glue_registry: ["glue"],
  aws_glue_schema: ["glue"],
  aws_flow_log: ["ec2", "logs"],
  aws_guardduty_detector: ["guardduty"],
  aws_guardduty_detector_feature: ["guardduty"],
  aws_iam_account_password_policy: ["iam"],
  aws_iam_openid_connect_provider: ["iam"],
  aws_iam_policy: ["iam"],
  aws_iam_role: ["iam"],
  aws_iam_role_policy: ["iam"],
  aws_iam_role_policy_attachment: ["iam"],
  aws_iam_service_linked_role: ["iam"],
  aws_inspector2_enabler: ["inspector2"],
  aws_internet_gateway: ["ec2"],
  aws_kms_alias: ["kms"],
  aws_kms_grant: ["kms"],
  aws_kms_key: ["kms"],
  aws_launch_template: ["ec2"],
  aws_macie2_account: ["macie2"],
  aws_macie2_classification_job: ["macie2"],
  aws_msk_cluster: ["kafka", "ec2"],
  aws_msk_configuration: ["kafka"],
  aws_nat_gateway: ["ec2"],
  aws_network_acl: ["ec2"],
  aws_network_acl_rule: ["ec2"],
  aws_route: ["ec2"],
  aws_route53_health_check: ["route53"],
  aws_route53_record: ["route53"],
  aws_route53_zone: ["route53"],
  aws_route_table: ["ec2"],
  aws_route_table_association: ["ec2"],
  aws_rum_app_monitor: ["rum", "logs"],
  aws_s3_bucket: ["s3"],
  aws_s3_bucket_lifecycle_configuration: ["s3"],
  aws_s3_bucket_logging: ["s3"],
  aws_s3_bucket_ownership_controls: ["s3"],
  aws_s3_bucket_policy: ["s3"],
  aws_s3_bucket_public_access_block: ["s3"],
  aws_s3_bucket_replication_configuration: ["s3"],
  aws_s3_bucket_server_side_encryption_configuration: ["s3"],
  aws_s3_bucket_versioning: ["s3"],
  aws_scheduler_schedule: ["scheduler"],
  aws_secretsmanager_secret: ["secretsmanager"],
  aws_secretsmanager_secret_version: ["secretsmanager"],
  aws_security_group: ["ec2"],
  aws_securityhub_account: ["securityhub"],
  aws_securityhub_finding_aggregator: ["securityhub"],
  aws_securityhub_standards_control_association: ["securityhub"],
  aws_securityhub_standards_subscription: ["securityhub"],
  aws_sns_topic: ["sns"],
  aws_sns_topic_policy: ["sns"],
  aws_sns_topic_subscription: ["sns"],
  aws_sqs_queue: ["sqs"],
  aws_sqs_queue_policy: ["sqs"],
  aws_ssm_parameter: ["ssm"],
  aws_subnet: ["ec2"],
  // CreateCanary creates the canary's Lambda function and layer with the caller's permissions.
  aws_synthetics_canary: ["synthetics", "lambda", "s3", "ec2"],
  aws_timestreaminfluxdb_db_instance: ["timestream-influxdb", "ec2"],
  aws_vpc: ["ec2"],
  aws_vpc_endpoint: ["ec2", "route53"],
  aws_vpc_ipv4_cidr_block_association: ["ec2"],
  aws_vpc_security_group_egress_rule: ["ec2"],
  aws_vpc_security_group_ingress_rule: ["ec2"],
  aws_wafv2_web_acl: ["wafv2"],
  aws_wafv2_web_acl_logging_configuration: ["wafv2", "logs"],
  aws_xray_encryption_config: ["xray"],
  aws_xray_group: ["xray"],
  aws_xray_sampling_rule: ["xray"],
};

/**
 * Services whose resources the apply role reaches only by this environment's names (the rest get
 * `<service>:*`): IAM (roles, policies: `aivo-<env>-*`), Secrets Manager (`aivo/<env>/*`), SSM
 * parameters (`/aivo/<env>/*`), EKS (`*` `/aivo-<env>-*`: cluster, node groups, add-ons, access
 * entries), SNS and SQS (`aivo-<env>-*`). S3 bucket names are checked but not scoped: most of the
 * buckets end with the account id, a token the policy would carry as one more interpolation, and
 * `s3:*` on other environments' buckets is held by their bucket policies' own statements.
 */
export const NAME_SCOPED_SERVICES = ["iam", "secretsmanager", "ssm", "eks", "sns", "sqs"] as const;

/** Where a data source's API is allowed for the plan role. */
export type PlanGrant = "ReadOnlyAccess" | "plan-policy" | "state" | "cluster" | "none";

/**
 * Every data source type the stacks read → the API calls it makes at plan time and which part of the
 * plan role allows them: AWS's `ReadOnlyAccess` (its `Describe*`/`Get*`/`List*` grants), the role's
 * own inline policy (what `ReadOnlyAccess` leaves out: secret values, random passwords, decrypting),
 * its state statements, the cluster (Kubernetes API, through the cluster-admin role the Kubernetes
 * provider's `exec` assumes: a plan role may not assume it, so plans of the Kubernetes stacks need a
 * read-only access entry of their own, not built yet), or nothing (no AWS call).
 */
export const DATA_SOURCE_ACTIONS: Readonly<Record<string, { readonly actions: readonly string[]; readonly grant: PlanGrant }>> = {
  aws_caller_identity: { actions: ["sts:GetCallerIdentity"], grant: "none" },
  aws_partition: { actions: [], grant: "none" },
  aws_region: { actions: [], grant: "none" },
  aws_availability_zone: { actions: ["ec2:DescribeAvailabilityZones"], grant: "ReadOnlyAccess" },
  aws_ec2_managed_prefix_list: { actions: ["ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"], grant: "ReadOnlyAccess" },
  aws_eks_cluster: { actions: ["eks:DescribeCluster"], grant: "ReadOnlyAccess" },
  aws_route53_zone: { actions: ["route53:ListHostedZones", "route53:GetHostedZone", "route53:ListTagsForResource"], grant: "ReadOnlyAccess" },
  aws_iam_policy_document: { actions: [], grant: "none" },
  aws_ssm_parameter: { actions: ["ssm:GetParameter", "kms:Decrypt"], grant: "plan-policy" },
  aws_secretsmanager_random_password: { actions: ["secretsmanager:GetRandomPassword"], grant: "plan-policy" },
  aws_secretsmanager_secret_version: { actions: ["secretsmanager:GetSecretValue", "kms:Decrypt"], grant: "plan-policy" },
  terraform_remote_state: { actions: ["s3:GetObject", "kms:Decrypt"], grant: "state" },
  kubernetes_resources: { actions: [], grant: "cluster" },
};

/** The Terraform resource and data source types of the AWS provider. */
export const isAwsType = (type: string): boolean => type.startsWith("aws_");

/** The services the apply role needs for `types`; throws naming each unmapped type and the fix. */
export function servicesFor(where: string, types: Iterable<string>): string[] {
  const services = new Set<string>();
  const unknown: string[] = [];
  for (const type of types) {
    if (!isAwsType(type)) continue;
    const mapped = RESOURCE_TYPE_SERVICES[type];
    if (mapped === undefined) unknown.push(type);
    else mapped.forEach((s) => services.add(s));
  }
  if (unknown.length > 0) {
    throw new Error(
      `${where}: the CI apply role can't manage ${unknown.sort().join(", ")}: add each type with its IAM service prefix to RESOURCE_TYPE_SERVICES (modules/aws/security/github-oidc-roles/permissions.ts)`,
    );
  }
  return [...services].sort();
}

/** The ARNs and names the scoped statements of one environment use. */
export interface EnvironmentArns {
  readonly partition: string;
  readonly accountId: string;
  /** `aivo-<env>` */
  readonly prefix: string;
  /** `aivo/<env>` (secret names) */
  readonly secretPrefix: string;
  /** `/aivo/<env>` (parameter names) */
  readonly parameterPath: string;
  /** The permissions boundary every role the apply role creates must carry. */
  readonly boundaryArn: string;
}

/**
 * The apply role's statements for `services`: `<service>:*` for those not scoped by name, the
 * name-scoped ones on this environment's ARNs, and IAM role creation only with the boundary.
 */
export function applyStatements(services: readonly string[], arns: EnvironmentArns): PolicyStatement[] {
  const { partition: p, accountId: a, prefix } = arns;
  const scoped = new Set<string>(NAME_SCOPED_SERVICES);
  const open = services.filter((s) => !scoped.has(s));
  const has = (s: string) => services.includes(s);
  const role = `arn:${p}:iam::${a}:role/${prefix}-*`;
  const statements: PolicyStatement[] = open.length > 0 ? [{ Sid: "ManageServicesOfThisEnvironment", Action: open.map((s) => `${s}:*`), Resource: "*" }] : [];
  if (has("iam")) {
    statements.push(
      {
        Sid: "CreateRolesOnlyWithTheBoundary",
        Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        Resource: role,
        Condition: { StringEquals: { "iam:PermissionsBoundary": arns.boundaryArn } },
      },
      {
        Sid: "ManageRolesOfThisEnvironment",
        Action: [
          "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
          "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PassRole",
        ],
        Resource: role,
      },
      {
        Sid: "ManagePoliciesOfThisEnvironment",
        Action: ["iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
        Resource: `arn:${p}:iam::${a}:policy/${prefix}-*`,
      },
      {
        Sid: "ManageClusterOidcProviders",
        Action: ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider"],
        Resource: `arn:${p}:iam::${a}:oidc-provider/oidc.eks.*`,
      },
      { Sid: "CreateServiceLinkedRoles", Action: ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus"], Resource: `arn:${p}:iam::${a}:role/aws-service-role/*` },
    );
  }
  if (has("eks")) {
    statements.push(
      { Sid: "ManageClustersOfThisEnvironment", Action: "eks:*", Resource: `arn:${p}:eks:*:${a}:*/${prefix}-*` },
      // Add-on versions and the cluster-access policies are not resources of a cluster.
      { Sid: "DescribeEksCatalog", Action: ["eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration", "eks:ListAccessPolicies"], Resource: "*" },
      // The Kubernetes stacks reach the cluster through its admin role (environments/kubernetes-stack.ts).
      { Sid: "AssumeClusterAdminRole", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: `arn:${p}:iam::${a}:role/${prefix}-*eks-admin` },
    );
  }
  if (has("secretsmanager")) {
    statements.push(
      { Sid: "ManageSecretsOfThisEnvironment", Action: "secretsmanager:*", Resource: `arn:${p}:secretsmanager:*:${a}:secret:${arns.secretPrefix}/*` },
      { Sid: "GenerateRandomPasswords", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
    );
  }
  if (has("ssm")) statements.push({ Sid: "ManageParametersOfThisEnvironment", Action: "ssm:*", Resource: `arn:${p}:ssm:*:${a}:parameter${arns.parameterPath}/*` });
  if (has("sns")) statements.push({ Sid: "ManageTopicsOfThisEnvironment", Action: "sns:*", Resource: `arn:${p}:sns:*:${a}:${prefix}-*` });
  if (has("sqs")) statements.push({ Sid: "ManageQueuesOfThisEnvironment", Action: "sqs:*", Resource: `arn:${p}:sqs:*:${a}:${prefix}-*` });
  return statements;
}

/**
 * The permissions boundary of every role an environment's stacks create (and so every role CI can
 * create): anything outside IAM, Organizations and Account, and of IAM only what workloads need
 * (pass this environment's roles, instance profiles for Karpenter's nodes, service-linked roles,
 * reads). A role under it can't create or widen a role, so CI can't mint a role stronger than itself.
 */
export function boundaryStatements(arns: EnvironmentArns): PolicyStatement[] {
  const { partition: p, accountId: a, prefix } = arns;
  return [
    { Sid: "AllowAllButIdentityAndOrganizations", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
    { Sid: "PassRolesOfThisEnvironment", Action: "iam:PassRole", Resource: `arn:${p}:iam::${a}:role/${prefix}-*` },
    {
      Sid: "InstanceProfilesAndServiceLinkedRoles",
      Action: [
        "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile",
        "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:CreateServiceLinkedRole",
      ],
      Resource: [`arn:${p}:iam::${a}:instance-profile/*`, `arn:${p}:iam::${a}:role/aws-service-role/*`],
    },
    { Sid: "ReadIdentity", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
  ];
}
