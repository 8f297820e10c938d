import { Finding, Rule, StackDocument, blocks } from "../engine";
import { Statement, parsePolicy, policyDocumentStatements } from "./policy-documents";

/** The resource types and arguments that hold a policy document, identity or resource. */
const POLICY_ARGUMENTS: readonly [type: string, attribute: string][] = [
  ["aws_iam_policy", "policy"],
  ["aws_iam_role_policy", "policy"],
  ["aws_iam_user_policy", "policy"],
  ["aws_iam_group_policy", "policy"],
  ["aws_s3_bucket_policy", "policy"],
  ["aws_sns_topic_policy", "policy"],
  ["aws_sqs_queue_policy", "policy"],
  ["aws_sns_topic", "policy"],
  ["aws_sqs_queue", "policy"],
  ["aws_ecr_repository_policy", "policy"],
  ["aws_secretsmanager_secret_policy", "policy"],
];

/** Every allowing statement of the stack, with where it is written. */
function allowStatements(doc: StackDocument): { address: string; constructPath?: string; statement: Statement }[] {
  const out: { address: string; constructPath?: string; statement: Statement }[] = [];
  const push = (address: string, constructPath: string | undefined, statements: Statement[] | undefined) => {
    for (const statement of statements ?? []) if (statement.effect === "Allow") out.push({ address, constructPath, statement });
  };
  for (const [type, attribute] of POLICY_ARGUMENTS) {
    for (const r of doc.resources(type)) push(r.address, r.constructPath, parsePolicy(r.config[attribute]));
  }
  for (const role of doc.resources("aws_iam_role")) {
    for (const inline of blocks(role.config.inline_policy)) push(role.address, role.constructPath, parsePolicy(inline.policy));
  }
  for (const d of doc.resources("data.aws_iam_policy_document")) push(d.address, d.constructPath, policyDocumentStatements(d.config));
  return out;
}

const matchesAction = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

function findings(doc: StackDocument, bad: (s: Statement) => string | undefined): Finding[] {
  return allowStatements(doc).flatMap(({ address, constructPath, statement }) => {
    const detail = bad(statement);
    return detail ? [{ address, constructPath, detail }] : [];
  });
}

/** AWS's managed policy that allows every action on every resource. */
const ADMIN_MANAGED_POLICY = /:iam::aws:policy\/AdministratorAccess$/;

/** Every managed policy ARN a role, user or group is given, with where it is written. */
function managedPolicyArns(doc: StackDocument): Finding[] {
  const out: Finding[] = [];
  for (const type of ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"]) {
    for (const r of doc.resources(type)) {
      const arn = r.config.policy_arn;
      if (typeof arn === "string" && ADMIN_MANAGED_POLICY.test(arn)) out.push({ address: r.address, constructPath: r.constructPath, detail: `attaches ${arn.split("/").pop()}` });
    }
  }
  for (const r of doc.resources("aws_iam_role")) {
    for (const arn of (r.config.managed_policy_arns as unknown[] | undefined) ?? []) {
      if (typeof arn === "string" && ADMIN_MANAGED_POLICY.test(arn)) out.push({ address: r.address, constructPath: r.constructPath, detail: `attaches ${arn.split("/").pop()}` });
    }
  }
  return out;
}

/** IAM: no administrator wildcards or managed administrator policies, no PassRole on every role. */
export const IAM_RULES: readonly Rule[] = [
  {
    id: "AIVO-IAM-ADMIN-POLICY",
    severity: "error",
    checkov: ["CKV_AWS_274"],
    message: "No role, user or group is given AdministratorAccess",
    fix: "grant the services the principal uses (e.g. a policy derived from the resource types it manages, modules/aws/security/github-oidc-roles/permissions.ts)",
    evaluate: managedPolicyArns,
  },
  {
    id: "AIVO-IAM-WILDCARD-ADMIN",
    severity: "error",
    checkov: ["CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63"],
    message: 'No policy allows Action "*" on Resource "*"',
    fix: "list the actions the principal needs (service:Action) and scope Resource to this environment's ARNs",
    evaluate: (doc) =>
      findings(doc, (s) =>
        !s.notActions && s.actions.some((a) => a === "*" || a === "*:*") && s.resources.includes("*") ? 'Allow "*" on "*"' : undefined,
      ),
  },
  {
    id: "AIVO-IAM-PASSROLE-ANY",
    severity: "error",
    message: 'No policy allows iam:PassRole on Resource "*"',
    fix: "scope iam:PassRole to the ARNs of the roles to pass, and add an iam:PassedToService condition",
    evaluate: (doc) =>
      findings(doc, (s) => {
        if (!s.resources.includes("*")) return undefined;
        const passes = s.notActions ? !s.actions.some((a) => matchesAction(a, "iam:PassRole")) : s.actions.some((a) => a !== "*" && matchesAction(a, "iam:PassRole"));
        return passes ? 'iam:PassRole on "*"' : undefined;
      }),
  },
];
